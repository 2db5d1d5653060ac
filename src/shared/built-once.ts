/**
 * A value made the first time it is asked for, then kept. For zod schemas a module would otherwise
 * build as it loads: a `wg` start loads many modules whose schemas its command never uses, and
 * building them all was a measurable part of every start's CPU. Built this way, a start
 * builds only the schemas its command uses.
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

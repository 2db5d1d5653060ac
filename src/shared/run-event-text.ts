/** Short one-line previews of run events (the window's folded rows, `wg output`). */

export function firstLine(text: string, max = 160): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function toolInputPreview(input: unknown, max = 160): string {
  if (typeof input === 'object' && input !== null) {
    // The most telling field of common tools (Bash command, file path, …) first.
    for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'description']) {
      const value: unknown = Reflect.get(input, key);
      if (typeof value === 'string') return firstLine(value, max);
    }
  }
  return firstLine(JSON.stringify(input) ?? '', max);
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

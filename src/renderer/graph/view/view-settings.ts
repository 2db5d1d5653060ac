/**
 * View settings kept across sessions in localStorage (the minimap, the cluster grouping). It throws
 * in some sandboxed contexts: a setting then falls back to its default and is not kept.
 */
export function readSetting<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = localStorage.getItem(key);
    return allowed.find((choice) => choice === value) ?? fallback;
  } catch {
    return fallback;
  }
}

export function writeSetting<T extends string>(key: string, value: T): T {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not kept across sessions then; the switch still works.
  }
  return value;
}

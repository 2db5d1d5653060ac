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

const FLAGS = ['true', 'false'] as const;
export const readFlag = (key: string, fallback: boolean): boolean => readSetting(key, FLAGS, fallback ? 'true' : 'false') === 'true';
export const writeFlag = (key: string, value: boolean): boolean => writeSetting(key, value ? 'true' : 'false') === 'true';

/** Light and dark themes: the user's choice (or the system's), applied as `data-theme` on <html>. */

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'wg.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export const isThemeChoice = (value: string): value is ThemeChoice => (THEME_CHOICES as readonly string[]).includes(value);

export function storedChoice(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): ThemeChoice {
  const value = storage?.getItem(STORAGE_KEY) ?? 'system';
  return isThemeChoice(value) ? value : 'system';
}

export function storeChoice(choice: ThemeChoice, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  storage?.setItem(STORAGE_KEY, choice);
}

export function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

export function resolveTheme(choice: ThemeChoice, system: Theme = systemTheme()): Theme {
  return choice === 'system' ? system : choice;
}

/** Sets the theme on the document root, where the CSS tokens (styles/tokens.css) pick it up. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

/** Follows the system's light/dark setting; returns an unsubscribe function. */
export function onSystemThemeChange(listener: (theme: Theme) => void): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const query = matchMedia(DARK_QUERY);
  const changed = () => listener(query.matches ? 'dark' : 'light');
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}

// localStorage throws in some sandboxed contexts; the theme then simply follows the system.
function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import {
  applyTheme,
  onSystemThemeChange,
  resolveTheme,
  storeChoice,
  storedChoice,
  systemTheme,
  type Theme,
  type ThemeChoice,
} from './theme';

interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
  setChoice(choice: ThemeChoice): void;
}

const ThemeContext = createContext<ThemeState | null>(null);

/** Keeps <html data-theme> in step with the user's choice and, for "system", with the system setting. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoiceState] = useState<ThemeChoice>(() => storedChoice());
  const [system, setSystem] = useState<Theme>(() => systemTheme());
  useEffect(() => onSystemThemeChange(setSystem), []);
  const theme = resolveTheme(choice, system);
  // Before paint, so nothing is drawn in the old theme (and canvas colours read after it are right).
  useLayoutEffect(() => applyTheme(theme), [theme]);
  const setChoice = useCallback((next: ThemeChoice) => {
    storeChoice(next);
    setChoiceState(next);
  }, []);
  const value = useMemo(() => ({ choice, theme, setChoice }), [choice, theme, setChoice]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

const FALLBACK: ThemeState = { choice: 'system', theme: 'light', setChoice: () => undefined };

/** The theme in use; outside a provider (isolated component tests) the light theme. */
export function useTheme(): ThemeState {
  return useContext(ThemeContext) ?? FALLBACK;
}

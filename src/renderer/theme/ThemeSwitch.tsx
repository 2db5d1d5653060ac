import { isThemeChoice, THEME_CHOICES } from './theme';
import { useTheme } from './ThemeProvider';

const LABELS = { system: 'System', light: 'Light', dark: 'Dark' } as const;

/** Light, dark, or follow the system; a small select in the sidebar. */
export function ThemeSwitch() {
  const { choice, setChoice } = useTheme();
  return (
    <label className="theme-switch small">
      <span>Theme</span>
      <select aria-label="Theme" value={choice} onChange={(e) => isThemeChoice(e.target.value) && setChoice(e.target.value)}>
        {THEME_CHOICES.map((option) => (
          <option key={option} value={option}>
            {LABELS[option]}
          </option>
        ))}
      </select>
    </label>
  );
}

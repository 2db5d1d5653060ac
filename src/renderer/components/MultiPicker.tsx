import { useMemo, useState, type KeyboardEvent } from 'react';
import { useListbox } from './use-listbox';

export interface PickerOption {
  value: string;
  label: string;
  /** A second, quieter line (an id, a state). */
  detail?: string;
}

interface MultiPickerProps {
  options: readonly PickerOption[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  /** Set by <Field>: the input is the labelled control. */
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

const SHOWN = 30;

/**
 * Chooses several of what exists (tasks, tags): the chosen ones as removable chips, then a box
 * that searches the rest by label or value. Arrow keys and Enter pick, Backspace in the empty box
 * removes the last chip, Escape closes the list (not the dialog around it). Nothing can be typed
 * that does not exist. The list shows on focus, but Enter picks only what was typed for or arrowed
 * to: tabbed into and left empty, Enter is the form's (as in its other fields), not "the first task".
 */
export function MultiPicker({ options, value, onChange, placeholder, id, ...aria }: MultiPickerProps) {
  const [text, setText] = useState('');
  const byValue = useMemo(() => new Map(options.map((o) => [o.value, o])), [options]);
  const chosen = useMemo(() => new Set(value), [value]);
  const matches = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const found: PickerOption[] = [];
    for (const option of options) {
      if (chosen.has(option.value)) continue;
      if (needle && !option.label.toLowerCase().includes(needle) && !option.value.toLowerCase().includes(needle)) continue;
      found.push(option);
      if (found.length === SHOWN) break;
    }
    return found;
  }, [options, text, chosen]);
  const listbox = useListbox(matches.length);
  const { active, setOpen, listId } = listbox;
  const showList = listbox.open && matches.length > 0;

  const add = (option: PickerOption | undefined) => {
    if (!option) return;
    onChange([...value, option.value]);
    setText('');
    // The list stays open on what is left, with nothing active: a second Enter is not a second pick.
    listbox.clearActive();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (listbox.arrowKeys(event)) return;
    // Enter with no active option is left alone: the browser submits the form around the box.
    if (event.key === 'Enter' && showList && matches[active]) {
      event.preventDefault();
      add(matches[active]);
    } else if (event.key === 'Backspace' && text === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    } else if (event.key === 'Escape' && showList) {
      event.stopPropagation();
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div className="multi-picker">
      {value.length > 0 && (
        <ul className="picker-chips" aria-label="Chosen">
          {value.map((item) => (
            <li key={item} className="picker-chip">
              <span>{byValue.get(item)?.label ?? item}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${byValue.get(item)?.label ?? item}`}
                onClick={() => onChange(value.filter((v) => v !== item))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        {...aria}
        {...listbox.inputProps(showList)}
        value={text}
        placeholder={placeholder}
        onChange={(e) => {
          setText(e.target.value);
          listbox.typed(e.target.value.trim() !== '');
        }}
        onKeyDown={onKeyDown}
      />
      {showList && (
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA combobox pattern's list of options (a <select> cannot stay open under a text box); the role replaces the list's own
        <ul className="picker-list" id={listId} role="listbox" tabIndex={-1}>
          {matches.map((option, index) => (
            <li key={option.value} {...listbox.optionProps(index, () => add(option))}>
              <span className="picker-label">{option.label}</span>
              {option.detail && <span className="muted small">{option.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { betterRank, rankedMatches, textMatcher } from './text-match';
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
  /** The text in the box, as it changes: it is not a choice until picked, so a form can refuse to go on without it. */
  onTextChange?: (text: string) => void;
  /** Said under the box when what is typed matches nothing; "nothing matches '…'" otherwise. */
  noMatch?: (text: string) => string;
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
 * that does not exist: text that matches nothing says so under the box. The list shows on focus,
 * but Enter picks only what was typed for or arrowed to, not "the first task"; and Enter never
 * submits the form around the box, where it would leave half-typed text behind unchosen.
 */
export function MultiPicker({ options, value, onChange, placeholder, onTextChange, noMatch, id, ...aria }: MultiPickerProps) {
  const [text, setTextState] = useState('');
  const setText = (next: string) => {
    setTextState(next);
    onTextChange?.(next);
  };
  const noteId = useId();
  const byValue = useMemo(() => new Map(options.map((o) => [o.value, o])), [options]);
  const chosen = useMemo(() => new Set(value), [value]);
  const matches = useMemo(() => {
    // Words by their starts, case and punctuation aside: "hotfix rel" finds "Hotfix: release"; the best matches first.
    const finds = textMatcher(text);
    const open = options.filter((option) => !chosen.has(option.value));
    if (!finds) return open.slice(0, SHOWN);
    return rankedMatches(open, (option) => betterRank(finds(option.label), finds(option.value)), SHOWN).matches;
  }, [options, text, chosen]);
  const listbox = useListbox(matches.length);
  const { active, setOpen, listId } = listbox;
  const showList = listbox.open && matches.length > 0;
  // A box marked invalid has its field say what is wrong (a form refused the text): not said twice.
  const unmatched = text.trim() !== '' && matches.length === 0 && !aria['aria-invalid'];

  const add = (option: PickerOption | undefined) => {
    if (!option) return;
    onChange([...value, option.value]);
    setText('');
    // The list stays open on what is left, with nothing active: a second Enter is not a second pick.
    listbox.clearActive();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (listbox.arrowKeys(event)) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (showList) add(matches[active]);
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
        aria-describedby={unmatched ? [noteId, aria['aria-describedby']].filter(Boolean).join(' ') : aria['aria-describedby']}
        {...listbox.inputProps(showList)}
        value={text}
        placeholder={placeholder}
        onChange={(e) => {
          setText(e.target.value);
          listbox.typed(e.target.value.trim() !== '');
        }}
        onKeyDown={onKeyDown}
      />
      {unmatched && (
        <span id={noteId} className="picker-none" role="status">
          {noMatch ? noMatch(text) : `nothing matches '${text.trim()}'`}
        </span>
      )}
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

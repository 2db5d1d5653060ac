import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react';

/** No option is active: the list only shows what there is, and Enter is not a choice. */
const NONE = -1;

/**
 * What a text box with a list of choices under it (a combobox) needs, for the search box and the
 * pickers alike: which option is active, the arrow keys, and the ARIA wiring between the box and
 * its list. `count` is how many options the list shows.
 *
 * An option is active only once the person has asked for one: typed something (the first match), or
 * moved with the arrow keys. A list opened by focus alone has none, so Enter in a box that was merely
 * tabbed into picks nothing (a picker leaves it to its form).
 */
export function useListbox(count: number) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(NONE);
  const listId = useId();
  const showList = open && count > 0;

  return {
    open,
    setOpen,
    /** The active option's index, or -1 for none. */
    active,
    setActive,
    /** Back to no active option (after a pick, say: the next Enter is not another pick). */
    clearActive() {
      setActive(NONE);
    },
    listId,
    /** The box's text changed: the list opens on its first option, or on none when the box was emptied. */
    typed(hasText = true) {
      setActive(hasText ? 0 : NONE);
      setOpen(true);
    },
    /** Handles ArrowUp and ArrowDown (opening the list); true when the key was one of them. */
    arrowKeys(event: KeyboardEvent): boolean {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return false;
      event.preventDefault();
      setOpen(true);
      const down = event.key === 'ArrowDown';
      setActive((index) => {
        if (count === 0) return NONE;
        // From none, down is the first option and up the last.
        if (index === NONE || index >= count) return down ? 0 : count - 1;
        return (index + (down ? 1 : -1) + count) % count;
      });
      return true;
    },
    inputProps(listShown: boolean = showList) {
      return {
        role: 'combobox' as const,
        'aria-expanded': listShown,
        'aria-controls': listId,
        'aria-autocomplete': 'list' as const,
        'aria-activedescendant': listShown && active >= 0 && active < count ? `${listId}-${active}` : undefined,
        onFocus: () => setOpen(true),
        onBlur: () => {
          setOpen(false);
          setActive(NONE);
        },
      };
    },
    optionProps(index: number, pick: () => void) {
      return {
        id: `${listId}-${index}`,
        role: 'option' as const,
        'aria-selected': index === active,
        // mousedown, not click: the box's blur would close the list first.
        onMouseDown: (event: MouseEvent) => {
          event.preventDefault();
          pick();
        },
        onMouseEnter: () => setActive(index),
      };
    },
  };
}

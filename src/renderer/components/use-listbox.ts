import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react';

/**
 * What a text box with a list of choices under it (a combobox) needs, for the search box and the
 * pickers alike: which option is active, the arrow keys, and the ARIA wiring between the box and
 * its list. `count` is how many options the list shows.
 */
export function useListbox(count: number) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const showList = open && count > 0;

  return {
    open,
    setOpen,
    active,
    setActive,
    listId,
    /** The box's text changed: the list opens on its first option. */
    typed() {
      setActive(0);
      setOpen(true);
    },
    /** Handles ArrowUp and ArrowDown (opening the list); true when the key was one of them. */
    arrowKeys(event: KeyboardEvent): boolean {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return false;
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (count === 0 ? 0 : (index + step + count) % count));
      return true;
    },
    inputProps(listShown: boolean = showList) {
      return {
        role: 'combobox' as const,
        'aria-expanded': listShown,
        'aria-controls': listId,
        'aria-autocomplete': 'list' as const,
        'aria-activedescendant': listShown && active < count ? `${listId}-${active}` : undefined,
        onFocus: () => setOpen(true),
        onBlur: () => setOpen(false),
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

import { useEffect } from 'react';
import { modalOpen } from '../components/Dialog';

export interface GraphShortcutActions {
  newTask: () => void;
  search: () => void;
  /** Every task in view. */
  fit: () => void;
  /** Where work happens, readable. */
  work: () => void;
  /** Graph or board: the other one. */
  board: () => void;
  help: () => void;
  /** The coordinator chat beside the graph: open or close it. */
  chat: () => void;
  /** Focus on the selected task (its neighbourhood), or back to all. */
  focus: () => void;
  /** While focused: one step more or fewer around the task. */
  more?: () => void;
  fewer?: () => void;
}

/** Inputs that take no text: a letter pressed on one (Hide finished just ticked) is a shortcut, as anywhere else on the page. */
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Where a typed letter is text (or picks an option of a list), not a shortcut. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !NOT_TEXT.has(target.type)));

/** The graph page's single-key shortcuts (listed in ShortcutHelp), off while typing or in a dialog. */
export function useGraphShortcuts(active: boolean, actions: GraphShortcutActions): void {
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || modalOpen() || typing(event.target)) return;
      const keys: Record<string, (() => void) | undefined> = {
        n: actions.newTask,
        '/': actions.search,
        f: actions.fit,
        w: actions.work,
        b: actions.board,
        c: actions.chat,
        '?': actions.help,
        '.': actions.focus,
        '+': actions.more,
        '=': actions.more,
        '-': actions.fewer,
      };
      const action = keys[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [active, actions]);
}

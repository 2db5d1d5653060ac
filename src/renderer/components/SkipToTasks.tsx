import { useNavigation } from '../state/navigation';

/** What Tab reaches in the page: a card of the graph or the board that is shown, else the page's first control. */
const CARD = '.task-board .board-card[tabindex="0"], .react-flow__node[tabindex="0"]';
const CONTROL = 'button:not(:disabled), a[href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex="0"]';

function firstShown(root: Element, selector: string): HTMLElement | null {
  for (const element of root.querySelectorAll<HTMLElement>(selector)) if (element.checkVisibility()) return element;
  return null;
}

/**
 * The window's first Tab stop, seen only when it has the focus: past the sidebar and the page's toolbar straight to
 * the tasks (31 Tabs to the first card without it). On another page, to the page's own controls.
 */
export function SkipToTasks() {
  const { page } = useNavigation();
  const skip = () => {
    const slot = document.querySelector('main .page-slot:not(.hidden)');
    if (!slot) return;
    const target = (page === 'graph' ? firstShown(slot, CARD) : null) ?? firstShown(slot, CONTROL);
    target?.focus();
  };
  return (
    <button type="button" className="skip-link" onClick={skip}>
      {page === 'graph' ? 'Skip to the tasks' : 'Skip to the page'}
    </button>
  );
}

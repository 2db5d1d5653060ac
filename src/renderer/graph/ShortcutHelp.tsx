import { Dialog } from '../components/Dialog';

/** The graph page's keys, as the help overlay lists them (and use-graph-shortcuts.ts binds them). */
const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['N', 'New task'],
  ['/', 'Search tasks'],
  ['F', 'Fit: every task in view (titles as the room allows; clusters on a big graph)'],
  ['W', 'Where work happens (needs you, failed, running, the next ready), at a readable size; within the tag and Hide finished you chose'],
  ['B', 'Board or graph: the tasks in columns (needs you, running, failed, ready, waiting, done), or back to the graph'],
  [
    '.',
    'Focus on the selected task: only it and what is a few steps before or after it (again: all); also the Focus button in the inspector',
  ],
  ['+ / − (while focused)', 'One step more or fewer around the focused task (1 to 5)'],
  ['C', 'The coordinator chat beside the graph: open it (the focus in its box) or close it'],
  ['?', 'This list'],
  [
    'Tab',
    'Skip to the tasks (the first stop: Enter goes straight to a card), then the sidebar, the toolbar and any notice under it, the cards, their edges (when zoomed in to the cards), and the zoom and map buttons',
  ],
  ['Enter (on a card)', 'Open it in the inspector, with the focus there'],
  [
    '← → ↑ ↓ (on a card)',
    'A dependency, a dependent (else the card beside it), the card above or below; on the board, the next column or card',
  ],
  ['Alt+↑ / Alt+↓ (on a ready card, board)', 'Start it earlier or later (changes its priority; Undo in the notice)'],
  ['Delete (on a card or edge)', 'Abandon the task (asks first), or remove the dependency (with Undo)'],
  ['Ctrl+Z', 'Undo what the newest notice offers to undo'],
  ['Escape', 'Close a dialog, a list or the inspector'],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="shortcut-help">
      <dl className="shortcut-list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="button-row">
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

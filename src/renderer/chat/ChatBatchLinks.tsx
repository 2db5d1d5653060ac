import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import type { ChatBatch } from './chat-batch';

/** Under an answer: the tasks it made and changed, each a link that shows it in the graph, and one Undo for them all. */
export function ChatBatchLinks({ batch, undone, onUndo }: { batch: ChatBatch; undone: boolean; onUndo: () => void }) {
  const { tasks } = useGraph();
  const { selectTask } = useNavigation();
  // A task no longer in the graph (archived by the Undo) is named, not linked: there is nothing to show.
  const link = (id: string) => {
    const task = tasks.get(id);
    return (
      <li key={id}>
        {task ? (
          <button type="button" className="link-button" onClick={() => selectTask(id, true)}>
            {task.title}
          </button>
        ) : (
          <span className="muted">{batch.titles.get(id) ?? id} (archived)</span>
        )}
      </li>
    );
  };
  return (
    <div className="chat-batch">
      {batch.made.length > 0 && (
        <div>
          <span className="chat-batch-head">Made</span>
          <ul className="chat-batch-list">{batch.made.map(link)}</ul>
        </div>
      )}
      {batch.changed.length > 0 && (
        <div>
          <span className="chat-batch-head">Changed</span>
          <ul className="chat-batch-list">{batch.changed.map(link)}</ul>
        </div>
      )}
      {undone ? (
        <span className="small muted">Undone.</span>
      ) : (
        <button
          type="button"
          onClick={onUndo}
          title="Take back every task above: the new ones abandoned and archived, the changed ones as they were"
        >
          Undo all {batch.made.length + batch.changed.length}
        </button>
      )}
    </div>
  );
}

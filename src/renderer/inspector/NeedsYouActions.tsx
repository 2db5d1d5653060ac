import type { MouseEvent } from 'react';
import type { NeedsYouKind } from '../../shared/needs-you';
import type { Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useConfirm } from '../components/confirm';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useToasts } from '../notifications/toasts';
import { useGraphStore } from '../state/graph-context';
import { abandonRequest } from './abandon-request';
import { reopenDone } from './reopen-task';

/**
 * What the person does about a task that needs them (shared/needs-you.ts), where it is shown: on its card on the first
 * view and the Board, and in the inspector. Each button is the op `wg` runs for it (approve, reject, msg send, evaluate
 * run/record, done, retry, abandon). What asks for words (a reply, a rejection's feedback, a score) asks in the
 * confirm dialog; what ends a task (Abandon) asks first; what marks it done (Approve, Skip, Mark done) says so with
 * Undo (its reopen, as the inspector's Mark done does).
 */
export interface NeedsYouActionsProps {
  task: Pick<Task, 'id' | 'title' | 'status'>;
  needs: NeedsYouKind;
  /** On a card: short labels, errors as toasts (there is no room for them). */
  compact?: boolean;
  /** The buttons' tab index (a Board card's only while it is the board's tab stop). */
  tabIndex?: number;
  /** After an action has run (the inspector keeps the focus on what the new state offers: TaskActions). */
  onActed?: () => void;
}

interface Action {
  label: string;
  /** The long form of a short card label, as a tooltip. */
  title?: string;
  danger?: boolean;
  run: () => Promise<void>;
}

/** Whether the window has buttons for this kind: every kind has (a merge's is to say it was done, outside the window). */
export const hasNeedsYouActions = (needs: NeedsYouKind | undefined): needs is NeedsYouKind => needs !== undefined;

/** Parses a score as a person types it: 0.85, .85 or 85%. Null when it is none of those, or outside 0 to 1. */
export function parseScore(text: string): number | null {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const value = Number(percent ? trimmed.slice(0, -1).trim() : trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return null;
  const score = percent || value > 1 ? value / 100 : value;
  return score >= 0 && score <= 1 ? score : null;
}

export function NeedsYouActions({ task, needs, compact = false, tabIndex, onActed }: NeedsYouActionsProps) {
  const client = useClient();
  const confirm = useConfirm();
  const toasts = useToasts();
  const store = useGraphStore();
  const { run, pending, error, clearError } = useMutation();
  const { id, title } = task;

  /** Runs the op; on a card its refusal is said in a toast, in the inspector under the buttons. */
  const act = async <T,>(what: string, action: () => Promise<T>): Promise<T | undefined> => {
    const result = await run(async () => {
      try {
        return await action();
      } catch (thrown) {
        if (compact) toasts.push({ tone: 'error', title: `${what}: “${title}”`, body: errorMessage(thrown), key: `needs-you-${id}` });
        throw thrown;
      }
    });
    onActed?.();
    return result;
  };
  /** Done by this action: Undo reopens it (asking first when that would stop agents after it). */
  const undoable = (said: string, body: string) => toasts.pushUndo(said, () => void undoDone(), body);
  const undoDone = async () => {
    try {
      const refusal = await reopenDone(client, id, store.getState().tasks, async ({ running }) => {
        const answer = await confirm({
          title: `Reopen “${title}”?`,
          body: <p>Agents are working on {running.length} tasks after it: their runs are stopped, and work not yet saved is lost.</p>,
          confirmLabel: 'Stop them and reopen',
          danger: true,
        });
        return answer !== null;
      });
      if (refusal) toasts.push({ tone: 'error', title: `Not reopened: “${title}”`, body: refusal, key: `reopen-${id}` });
    } catch (thrown) {
      toasts.push({ tone: 'error', title: `Not reopened: “${title}”`, body: errorMessage(thrown), key: `reopen-${id}` });
    }
  };

  const approve = async () => {
    const done = await act('Not approved', () => client['task:approve']({ id }));
    if (done) undoable('Approved', `“${title}” is done: what waits for it can start.`);
  };
  const reject = async () => {
    const answer = await confirm({
      title: `Reject “${title}”?`,
      body: <p>It goes back to be done again, with your feedback in its log for whoever does it.</p>,
      confirmLabel: 'Reject',
      danger: true,
      reason: { label: 'What to change', required: true, placeholder: 'What is wrong, and what would make it right' },
    });
    if (!answer) return;
    const result = await act('Not rejected', () => client['task:reject']({ id, reason: answer.reason }));
    if (result?.failed) toasts.push({ tone: 'info', title: `“${title}” failed`, body: `Rejected ${result.rejections} times, its most.` });
  };
  const reply = async () => {
    const answer = await confirm({
      title: `Reply to “${title}”`,
      body: <p>It waits for your reply: your message releases its wait, and whoever works on it reads it.</p>,
      confirmLabel: 'Send reply',
      reason: { label: 'Your reply', required: true },
    });
    if (answer) await act('Not sent', () => client['msg:send']({ task: id, message: answer.reason }));
  };
  const evaluate = async () => {
    const result = await act('Not evaluated', () => client['eval:run']({ task: id }));
    if (result) toasts.push({ tone: 'info', title: `Evaluated “${title}”`, body: `It is ${result.status} now.`, key: `eval-${id}` });
  };
  const record = async () => {
    const answer = await confirm({
      title: `Record a score for “${title}”`,
      body: <p>Your score settles its evaluation: at or above the project's threshold it passes, below it does not.</p>,
      confirmLabel: 'Record score',
      reason: { label: 'Score (0 to 1, or a percent)', required: true, placeholder: '0.9' },
    });
    if (!answer) return;
    const score = parseScore(answer.reason);
    if (score === null) {
      const why = `“${answer.reason}” is not a score: give a number from 0 to 1 (0.9) or a percent (90%).`;
      toasts.push({ tone: 'error', title: 'No score recorded', body: why, key: `score-${id}` });
      return;
    }
    await act('No score recorded', () => client['eval:record']({ task: id, score }));
  };
  const skip = async () => {
    const done = await act('Not skipped', () => client['task:approve']({ id }));
    if (done) undoable('Evaluation skipped', `“${title}” passes unevaluated and is done: what waits for it can start.`);
  };
  const markDone = async () => {
    const done = await act('Not marked done', () => client['task:done']({ id }));
    if (done) undoable('Marked done', `“${title}” is done: what waits for it can start.`);
  };
  // The merge itself is git's, outside the window (its description says how): the button says it is done, once asked.
  const merged = async () => {
    const answer = await confirm({
      title: `Is “${title}” merged?`,
      body: (
        <p>
          Mark it done once the branch of {id.slice('.merge-'.length)} is merged into your branch and committed: its description says which
          branch and how.
        </p>
      ),
      confirmLabel: 'It is merged: mark done',
    });
    if (answer) await markDone();
  };
  const retry = async () => {
    await act('Not retried', () => client['task:retry']({ id }));
  };
  const abandon = async () => {
    const answer = await confirm(abandonRequest(task));
    if (answer) await act('Not abandoned', () => client['task:abandon']({ id, reason: answer.reason || undefined }));
  };

  const actions: Record<NeedsYouKind, Action[]> = {
    approve: [
      { label: 'Approve', run: approve },
      { label: 'Reject…', run: reject, danger: true },
    ],
    reply: [{ label: 'Reply…', run: reply }],
    evaluate: [
      { label: 'Evaluate', title: 'Run the evaluator on it now (wg evaluate run)', run: evaluate },
      compact ? { label: 'Score…', title: 'Record a score (wg evaluate record)', run: record } : { label: 'Record a score…', run: record },
      { label: 'Skip', title: 'Skip the evaluation: it passes and is done (wg approve)', run: skip },
    ],
    do: [{ label: 'Mark done', run: markDone }],
    unblock: [
      { label: 'Retry', run: retry },
      { label: 'Abandon…', run: abandon, danger: true },
    ],
    merge: [{ label: compact ? 'Merged…' : 'Merged: mark done…', title: 'Once its branch is merged (wg done)', run: merged }],
  };
  const shown = actions[needs];
  if (shown.length === 0) return null;
  // A card's click opens the task: a button on it acts, and only acts (nor does it start a drag of the card).
  const stop = (event: MouseEvent) => event.stopPropagation();
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only keeps a button's click from also opening the card under it
    // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons inside take the keys
    <div
      className={compact ? 'needs-you-actions nodrag nopan' : 'needs-you-actions'}
      onClick={stop}
      onMouseDown={stop}
      onDoubleClick={stop}
    >
      <div className="button-row">
        {shown.map((action, index) => (
          <button
            key={action.label}
            type="button"
            // In the inspector the first is what the person most likely does: it stands out from the task's other actions.
            className={action.danger ? 'danger' : index === 0 && !compact ? 'primary' : undefined}
            title={action.title}
            disabled={pending}
            tabIndex={tabIndex}
            onClick={() => void action.run()}
          >
            {action.label}
          </button>
        ))}
      </div>
      {!compact && <ErrorAlert message={error} onDismiss={clearError} />}
    </div>
  );
}

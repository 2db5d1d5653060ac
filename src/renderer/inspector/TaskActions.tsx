import { useEffect, useRef, useState } from 'react';
import { isAlive, type Agent } from '../../shared/agent';
import type { NeedsYouKind } from '../../shared/needs-you';
import { TERMINAL_STATUSES, type Task } from '../../shared/task';
import { useKillAgent } from '../agents/use-kill-agent';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useConfirm } from '../components/confirm';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useToasts } from '../notifications/toasts';
import { useGraphStore } from '../state/graph-context';
import { abandonRequest, STOPS_ITS_AGENT } from './abandon-request';
import { NeedsYouActions } from './NeedsYouActions';
import { reopenDone } from './reopen-task';

const NONE: ReadonlySet<string> = new Set();

/**
 * The buttons that change a task, shown only when they make sense for its status. What cannot be
 * taken back asks first: Fail asks why, Abandon asks (why, optionally), Kill asks whether to
 * requeue or hold. Mark done is one keypress, so it says so with Undo, and a done task offers Reopen… (which asks).
 * Pausing a running task lets the run finish and keeps the task from starting again. After an action
 * the focus stays here, on what the new state offers (the button pressed is often gone with the old one).
 */
/** How long after an action its new state may still move the focus (a person who moved on meanwhile keeps theirs). */
const REFOCUS_WITHIN_MS = 10_000;

/** The buttons a needs-you action stands in for (NeedsYouActions has Approve, Skip, Mark done, Retry, Abandon…). */
const REPLACED: Partial<Record<NeedsYouKind, ReadonlySet<string>>> = {
  approve: new Set(['pause', 'done']),
  evaluate: new Set(['done']),
  do: new Set(['done']),
  unblock: new Set(['retry', 'abandon']),
};

export function TaskActions({
  task,
  agent,
  waitsFor = [],
  needs,
}: {
  task: Task;
  agent: Agent | null;
  waitsFor?: readonly string[];
  /** What the person is to do about it (task-state.ts): its actions come first, in place of the general ones they replace. */
  needs?: NeedsYouKind;
}) {
  const client = useClient();
  const confirm = useConfirm();
  const kill = useKillAgent();
  const toasts = useToasts();
  const { run, pending, error, clearError, setError } = useMutation();
  // The graph as it is when an Undo is pressed, seconds later (the inspector may show another task by then): whether
  // the task is still done, what follows it.
  const store = useGraphStore();
  const actions = useRef<HTMLDivElement>(null);
  const [refocus, setRefocus] = useState<{ on: string; at: number } | null>(null);
  const id = task.id;
  /** Runs a change, then keeps the focus in the inspector, on the button `then` names when the new state has it. */
  const act = async <T,>(action: () => Promise<T>, then: string): Promise<T | undefined> => {
    const result = await run(action);
    setRefocus({ on: then, at: Date.now() });
    return result;
  };
  const alive = agent !== null && isAlive(agent);
  // Run again when the task's new state arrives (it comes through the event stream after the action's answer): the
  // button pressed is removed then, and the focus with it, to the body.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the state fields are what make the buttons change
  useEffect(() => {
    // While an action is pending every button is disabled: a look then would put the focus on the inspector's title,
    // and leave it there. Looked at again once it is not.
    if (!refocus || pending || Date.now() - refocus.at > REFOCUS_WITHIN_MS) return;
    const active = document.activeElement;
    const inspector =
      actions.current?.closest('aside.inspector') ?? document.querySelector(`aside.inspector[data-task="${CSS.escape(id)}"]`);
    // Left where the person put it meanwhile; taken back from the body or from a button this state no longer enables.
    if (active instanceof HTMLElement && active !== document.body && active.isConnected && !active.matches(':disabled')) return;
    const buttons = [...(actions.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const target =
      buttons.find((button) => button.textContent === refocus.on) ??
      buttons[0] ??
      inspector?.querySelector<HTMLElement>('.inspector-title');
    target?.focus();
    if (target?.textContent === refocus.on) setRefocus(null);
  }, [refocus, id, task.status, task.paused, alive, pending]);
  const active = !TERMINAL_STATUSES.includes(task.status);
  const running = task.status === 'in-progress';
  const replaced = (needs && REPLACED[needs]) || NONE;

  const fail = async () => {
    const answer = await confirm({
      title: `Mark “${task.title}” failed?`,
      body: <p>{running ? STOPS_ITS_AGENT : ''}Tasks that depend on it keep waiting until it is retried and done.</p>,
      confirmLabel: 'Mark failed',
      danger: true,
      reason: { label: 'Reason', required: true, placeholder: 'What went wrong, for whoever retries it' },
    });
    if (answer) await act(() => client['task:fail']({ id, reason: answer.reason }), 'Retry');
  };
  // Marking a running task done stops its run: what it has not saved is lost, so it asks first, as Stop agent does.
  const markDone = async () => {
    if (agent && isAlive(agent)) {
      const answer = await confirm({
        title: `Mark “${task.title}” done while its agent runs?`,
        body: <p>The agent is stopped, and work it has not saved is lost. Tasks that depend on it can start.</p>,
        confirmLabel: 'Stop it and mark done',
        danger: true,
      });
      if (!answer) return;
    }
    const done = await act(() => client['task:done']({ id }), 'Reopen…');
    if (done) toasts.pushUndo('Marked done', () => void reopen(), `“${task.title}” is done: what waits for it can start.`);
  };
  const abandon = async () => {
    const answer = await confirm(abandonRequest(task));
    if (answer) await act(() => client['task:abandon']({ id, reason: answer.reason || undefined }), 'Retry');
  };
  // A refusal (a task after it has finished since) is said where the person looks: by the buttons, and in a toast
  // for an Undo pressed after the inspector moved on.
  // From the button it always asks: a reopen wipes a finished task's completion and sets an agent on it again, and
  // a task after a failed one is then left waiting, with no Mark done to take it back. The Undo of Mark done asks only
  // when it would stop agents (an Undo is the person's own second thought).
  const reopen = async (always = false) => {
    let failure: string | null = null;
    const refusal = await act(async () => {
      try {
        return await reopenDone(
          client,
          id,
          store.getState().tasks,
          async ({ running: titles, after }) => {
            const answer = await confirm({
              title: `Reopen “${task.title}”?`,
              body: (
                <p>
                  It is open again, and started again when it is ready
                  {after > 0 ? `; ${after === 1 ? 'the task after it waits' : `the ${after} tasks after it wait`} for it again` : ''}. Its
                  completion is cleared; its log is kept.
                  {titles.length > 0 &&
                    ` ${titles.length === 1 ? `An agent is working on “${titles[0]}”` : `Agents are working on ${titles.length} tasks`} after it: ${
                      titles.length === 1 ? 'its run is' : 'their runs are'
                    } stopped, and work not yet saved is lost.`}
                </p>
              ),
              confirmLabel: titles.length === 0 ? 'Reopen' : titles.length === 1 ? 'Stop it and reopen' : 'Stop them and reopen',
              danger: true,
            });
            return answer !== null;
          },
          always,
        );
      } catch (thrown) {
        failure = errorMessage(thrown);
        throw thrown;
      }
    }, 'Mark done');
    const why = refusal ?? failure;
    if (!why) return;
    if (refusal) setError(refusal);
    toasts.push({ tone: 'error', title: `Not reopened: “${task.title}”`, body: why, key: `reopen-${id}` });
  };

  const anything = active || task.paused || task.status === 'failed' || task.status === 'abandoned' || task.status === 'done';
  if (!anything && !error && !needs) return null;
  return (
    <div className="task-actions" ref={actions}>
      {needs && <NeedsYouActions task={task} needs={needs} onActed={() => setRefocus({ on: '', at: Date.now() })} />}
      <div className="button-row">
        {!task.paused && active && !replaced.has('pause') && (
          <button
            type="button"
            disabled={pending}
            title={running ? 'The run finishes; the task is not started again until resumed' : 'It is not started until resumed'}
            onClick={() => void run(() => client['task:pause']({ id }))}
          >
            {running ? 'Pause after this run' : 'Pause'}
          </button>
        )}
        {/* Only where it lets something start: a finished or abandoned task stays as it is (Retry or Reopen starts it). */}
        {task.paused && active && (
          <button
            type="button"
            disabled={pending}
            title="Let it start when it is ready (its paused downstream tasks stay paused)"
            onClick={() => void run(() => client['task:publish']({ id, only: true }))}
          >
            Resume
          </button>
        )}
        {(task.status === 'failed' || task.status === 'abandoned') && !replaced.has('retry') && (
          <button type="button" disabled={pending} onClick={() => void act(() => client['task:retry']({ id }), 'Mark done')}>
            Retry
          </button>
        )}
        {task.status === 'done' && (
          <button
            type="button"
            disabled={pending}
            title="Open it again, to be done again; the tasks after it wait for it again (wg reset)"
            onClick={() => void reopen(true)}
          >
            Reopen…
          </button>
        )}
        {active && !replaced.has('done') && (
          <button
            type="button"
            disabled={pending || waitsFor.length > 0}
            title={
              waitsFor.length > 0
                ? `It waits for “${waitsFor[0]}”${waitsFor.length > 1 ? ` and ${waitsFor.length - 1} more` : ''}: those come first`
                : undefined
            }
            onClick={() => void markDone()}
          >
            {agent && isAlive(agent) ? 'Mark done…' : 'Mark done'}
          </button>
        )}
        {active && (
          <button type="button" className="danger" disabled={pending} onClick={() => void fail()}>
            Fail…
          </button>
        )}
        {task.status !== 'done' && task.status !== 'abandoned' && !replaced.has('abandon') && (
          <button type="button" className="danger" disabled={pending} onClick={() => void abandon()}>
            Abandon…
          </button>
        )}
        {agent && isAlive(agent) && (
          <button type="button" className="danger" disabled={pending} onClick={() => void act(() => kill(agent, task.title), 'Resume')}>
            Stop agent…
          </button>
        )}
      </div>
      {task.paused && running && (
        <p className="muted small">Paused: this run finishes, then the task is not started again until resumed.</p>
      )}
      <ErrorAlert message={error} onDismiss={clearError} />
    </div>
  );
}

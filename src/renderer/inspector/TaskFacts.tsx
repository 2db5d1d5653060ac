import type { ReactNode } from 'react';
import type { Agent } from '../../shared/agent';
import { startsAtMs, type Task } from '../../shared/task';
import { formatCost, formatDate, formatDuration, formatTokens, secondsBetween } from '../components/format';
import { RelativeTime } from '../components/RelativeTime';
import { plainText } from '../output/plain-text';
import { useClock } from '../hooks/use-clock';
import { useReportedNow } from '../hooks/use-connection';
import { defaultExecutorOf, useProjectFacts } from '../state/project-facts';
import { useNavigation } from '../state/navigation';
import { IdentityLabel } from '../agency/IdentityLabel';
import { RUN_PURPOSE_LABELS } from '../state/agent-of-task';
import { DEFAULT_RETRY_BUDGET, retriesText, retryBudget } from '../../shared/retry-budget';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The task's facts, times relative ("finished 3 min ago, took 4m12s") with the exact time on hover. */
export function TaskFacts({ task, agent, onOpenOutput }: { task: Task; agent: Agent | null; onOpenOutput: (agentId: string) => void }) {
  // A task without its own limit has the project's, agent.max_retries (shared/retry-budget.ts).
  const { config } = useProjectFacts();
  const setting = config.find((entry) => entry.key === 'agent.max_retries')?.value;
  const projectRetries = typeof setting === 'number' ? setting : DEFAULT_RETRY_BUDGET;
  const { openIdentity } = useNavigation();
  // The run shown may be one about the task that did not do its work (a task done by hand, then
  // scored): said as what it is, its model not the task's.
  const work = agent?.purpose === 'task' ? agent : null;
  const helper = agent && agent.purpose !== 'task' ? agent : null;
  const output = (run: Agent) => (
    <>
      {' · '}
      <button type="button" className="link-button" onClick={() => onOpenOutput(run.id)}>
        view output
      </button>
    </>
  );
  return (
    <dl className="facts">
      <Fact label="Priority">{task.priority}</Fact>
      {/* A task given to a person (`wg add --assign alice`, `wg claim`) is theirs; no agent runs it. */}
      <Fact label={task.assigned && !work ? 'Assigned to' : 'Agent'}>
        {task.assigned ?? work?.id ?? '—'}
        {work && output(work)}
      </Fact>
      {helper && (
        <Fact label={`${capitalised(RUN_PURPOSE_LABELS[helper.purpose])} run`}>
          {`${helper.id} · ${helper.executor} · ${helper.model ?? 'default'}`}
          {output(helper)}
        </Fact>
      )}
      {task.agent && (
        <Fact label="Agent identity">
          <IdentityLabel id={task.agent} onOpen={openIdentity} />
        </Fact>
      )}
      <Fact label="Executor · model">
        {work
          ? `${work.executor} · ${work.model ?? task.model ?? 'default model'}`
          : `${task.executor ?? `${defaultExecutorOf(config)} (project default)`} · ${task.model ?? 'default model'}`}
      </Fact>
      <Fact label="Created">
        <RelativeTime iso={task.created_at} />
      </Fact>
      <Timing task={task} />
      {!task.schedule && <Starts task={task} />}
      <Fact label="Tags">
        {task.tags.length === 0
          ? '—'
          : task.tags.map((tag) => (
              <span key={tag} className="tag">
                {tag}
              </span>
            ))}
      </Fact>
      {task.exec && (
        <Fact label="Command">
          <code>{task.exec}</code>
        </Fact>
      )}
      {task.schedule && (
        <Fact label="Schedule">
          {task.schedule}
          {task.not_before && (
            <>
              {' '}
              · next <RelativeTime iso={task.not_before} />
            </>
          )}
        </Fact>
      )}
      <Fact label="Retries">{retriesText(task.retry_count, retryBudget(task.max_retries, projectRetries))}</Fact>
      {task.rescue_count > 0 && (
        <Fact label="Sent back by evaluation">{`${task.rescue_count} time${task.rescue_count === 1 ? '' : 's'}`}</Fact>
      )}
      {(task.cost_usd > 0 || task.tokens_in > 0) && (
        <Fact label="Cost">{`${formatCost(task.cost_usd, task.tokens_in + task.tokens_out)} · ${formatTokens(task.tokens_in)} in / ${formatTokens(task.tokens_out)} out`}</Fact>
      )}
      {task.failure_reason && task.status === 'failed' && (
        <Fact label="Failure reason">
          <span className="error-text">{plainText(task.failure_reason)}</span>
        </Fact>
      )}
      {task.failure_reason && task.status === 'abandoned' && <Fact label="Abandon reason">{plainText(task.failure_reason)}</Fact>}
    </dl>
  );
}

/** "Started 10 min ago, running 9m58s" or "Finished 3 min ago, took 4m12s". */
function Timing({ task }: { task: Task }) {
  // Stopped where the coordinator was last heard from, as the card's (TaskCard's RunningText).
  const { now, stale } = useReportedNow(useClock(1000));
  if (task.completed_at) {
    // An abandoned task's end is when a person gave it up, not when work ended: no "took" from its start to that.
    const took = task.started_at && task.status !== 'abandoned' ? secondsBetween(task.started_at, task.completed_at) : null;
    const verb = task.status === 'failed' ? 'Failed' : task.status === 'abandoned' ? 'Abandoned' : 'Finished';
    return (
      <Fact label={verb}>
        <RelativeTime iso={task.completed_at} />
        {took !== null && took >= 0 && `, took ${formatDuration(took)}`}
      </Fact>
    );
  }
  if (task.started_at) {
    return (
      <Fact label="Started">
        <RelativeTime iso={task.started_at} />
        {task.status === 'in-progress' &&
          `, ${stale ? 'last seen running' : 'running'} ${formatDuration(secondsBetween(task.started_at, null, now))}`}
      </Fact>
    );
  }
  return null;
}

/**
 * "Starts Jan 5, 2028, 09:00 · in 2 yr." for an open task not due yet (`--delay`, `--not-before`, upstream's
 * ready_after), as `wg show` says it: its card says only "due Jan 5, 2028". A scheduled task's next run is on its
 * Schedule line instead.
 */
function Starts({ task }: { task: Task }) {
  // Read again as time passes, so the line goes once the task is due.
  const now = useClock(15_000);
  const at = startsAtMs(task);
  if ((task.status !== 'open' && task.status !== 'incomplete') || at <= now) return null;
  const iso = new Date(at).toISOString();
  return (
    <Fact label="Starts">
      {formatDate(iso)} · <RelativeTime iso={iso} />
    </Fact>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

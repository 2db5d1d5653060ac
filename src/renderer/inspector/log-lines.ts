import type { LogEntry } from '../../shared/task';
import { formatDate } from '../components/format';
import { plainText } from '../output/plain-text';

/**
 * Task log lines as a person would say them. The store writes them for `wg show` and agents
 * ("Spawned by coordinator --executor claude --model opus (model from the task) as agent-7");
 * the inspector shows this phrasing and keeps the raw line on hover.
 */
/** What a refused report was (the store names it by its command, `wg done`). */
const REPORTS: Record<string, string> = {
  done: 'a report that it is done',
  fail: 'a report that it failed',
  log: 'a log line',
  artifact: 'an artifact',
  heartbeat: 'a heartbeat',
};

const RULES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Task created$/, () => 'Created'],
  [
    /^Spawned by (wg spawn|coordinator) --executor (\S+)(?: --model (\S+))? \(([^)]*)\) as (\S+)(?:, resuming session (\S+))?(?: on agent daemon (.+))?$/,
    (m) =>
      `${m[1] === 'wg spawn' ? 'Started by hand' : 'Started'} as ${m[5]} with ${m[2]}${m[3] ? ` using ${m[3]}` : ''}${m[7] ? ` on ${m[7]}` : ''}${m[6] ? ', continuing its last conversation' : ''}`,
  ],
  [/^Claimed by (\S+)( \(forced\))?$/, (m) => `Taken by ${m[1]}${m[2] ? ' although it was not ready' : ''}`],
  [/^Claimed( \(forced\))?$/, (m) => `Taken${m[1] ? ' although it was not ready' : ''}`],
  [
    /^Waiting for a person: .*system tasks.*$/,
    () => 'Waiting for a person: this app does not start system tasks; start an agent on it or mark it done',
  ],
  [/^Waiting for a person: .*$/, () => 'Waiting for a person: do it and mark it done, or start an agent on it'],
  [/^Run (\S+); next run at (\S+) \(schedule (.+)\)$/, (m) => `Ran (${m[1]}); runs again ${formatDate(m[2] as string)}`],
  [/^Unclaimed$/, () => 'Released: back to waiting for an agent'],
  [/^Task marked done$/, () => 'Marked done'],
  [/^Task done: agent (\S+) exited 0$/, (m) => `Finished: ${m[1]} completed successfully`],
  [/^Task done: triage found agent (\S+)'s work complete$/, (m) => `Finished: a check found ${m[1]}'s work complete`],
  [/^Task failed: cannot launch: (.*)$/, (m) => `Could not start: ${m[1]}`],
  [/^Task failed: no reason given$/, () => 'Failed (no reason given)'],
  [/^Task failed: (.*)$/, (m) => `Failed: ${m[1]}`],
  [
    /^Agent (\S+) killed; task unclaimed and held \(paused\)$/,
    (m) => `${m[1]} was stopped; the task is held and will not start again until resumed`,
  ],
  [/^Agent (\S+) killed; task unclaimed$/, (m) => `${m[1]} was stopped; the task goes back to the queue`],
  [
    /^Agent '(\S+)' killed — task auto-paused \(.*\)$/,
    (m) => `${m[1]} was stopped; the task is held and will not start again until resumed`,
  ],
  [/^Task unclaimed: agent '(\S+)' was killed \(--redispatch\)$/, (m) => `${m[1]} was stopped; the task goes back to the queue`],
  [
    /^Dead agent (\S+) cleaned up(?: \((.*)\))?; task requeued$/,
    (m) => `${m[1]} had died${m[2] ? ` (${m[2]})` : ''}; the task goes back to the queue`,
  ],
  [/^Agent (\S+) stopped: (.*)$/, (m) => `${m[1]} stopped (${m[2]}); trying again`],
  [/^Agent (\S+): (.*)$/, (m) => `${m[1]}: ${m[2]}`],
  [/^(Task paused|Paused)$/, () => 'Paused: it will not be started'],
  [/^Published$/, () => 'Resumed: it starts when ready'],
  [/^Retry #(\d+)$/, (m) => `Reopened for another try (attempt ${Number(m[1]) + 1})`],
  [/^Abandoned: (.*)$/, (m) => `Abandoned: ${m[1]}`],
  [/^Abandoned$/, () => 'Abandoned'],
  [/^Evaluated: ([\d.]+)$/, (m) => `Evaluated: scored ${Math.round(Number(m[1]) * 100)}%`],
  [/^Artifact: (.*)$/, (m) => `Produced ${m[1]}`],
  [
    /^Refused (a heartbeat|`wg (\w+)`) from (.+?): (.*)$/,
    (m) => `Ignored ${REPORTS[m[2] ?? 'heartbeat'] ?? 'a report'} from ${m[3]}: ${m[4]}`,
  ],
  [/^status -> (\S+)$/, (m) => `Status changed to ${m[1]}`],
];

export function humanLogLine(entry: Pick<LogEntry, 'message'>): string {
  // A run's `wg log` or failure reason may carry its terminal's colour codes: the inspector shows words.
  const message = plainText(entry.message);
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return message;
}

/** Who wrote the line, in words: the coordinator, a person, an agent. */
export function actorName(actor: string): string {
  if (actor === 'coordinator') return 'coordinator';
  if (actor === 'user' || actor === 'app' || actor === 'api') return 'you';
  return actor;
}

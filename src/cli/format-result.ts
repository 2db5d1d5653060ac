import type { Agent } from '../shared/agent';
import type { AgentTokenInfo, CreatedAgentToken } from '../shared/remote-types';
import type { ConfigEntry, ExecutorProfile, ModelRegistry } from '../shared/config-types';
import { configSource, configValue } from './config-format';
import { CONFIG_KEYS } from '../shared/config-keys';
import { evaluationLines, taskPage } from './task-page';
import { PLAIN_TERMINAL, type Terminal } from './terminal';
import type { OpName, OpOutput } from '../shared/ops/registry';
import type { Evaluation, Task, TaskSummary } from '../shared/task';
import { formatStatus } from './service-format';
import {
  assignText,
  identityDetail,
  identityList,
  initText,
  roleDetail,
  roleList,
  statsText,
  tradeoffDetail,
  tradeoffList,
  transferText,
} from './agency-format';
import { table } from './table';
import { retriesText } from '../shared/retry-budget';
import { listMarkers } from './task-markers';
import { readyText } from './ready-format';
import { worktreeDetail, worktreeGc, worktreeList } from './worktree-format';
import {
  abandonText,
  approveText,
  artifactText,
  blockedText,
  incompleteText,
  bottlenecksText,
  checkText,
  contextText,
  costText,
  criticalPathText,
  logListText,
  publishText,
  reclaimText,
  rejectText,
  requeueText,
  resumeText,
  statusText,
  whyBlockedText,
} from './insight-format';
import { messageListText, readerFrom, sentText, unreadText } from './message-format';

/** Human-readable output per operation; `--json` bypasses all of this. */

function taskLine(task: TaskSummary, nowMs: number): string[] {
  const retries =
    task.retry_count > 0 && task.retry_limit !== undefined ? `retries ${retriesText(task.retry_count, task.retry_limit)}` : '';
  const flags = [task.paused ? 'paused' : '', task.assigned ? `@${task.assigned}` : '', retries].filter(Boolean).join(' ');
  return [task.id, task.status, task.priority, `${task.title}${listMarkers(task, nowMs)}${flags ? `  (${flags})` : ''}`];
}

function taskList(tasks: readonly TaskSummary[]): string {
  const now = Date.now();
  return tasks.length === 0 ? '(no tasks)' : table(tasks.map((task) => taskLine(task, now)));
}

function evaluationText(evaluation: Evaluation | null): string {
  return evaluation ? evaluationLines(evaluation).join('\n') : 'not evaluated';
}

function agentList(agents: readonly Agent[]): string {
  if (agents.length === 0) return '(no agents)';
  // An internal run (triage, the assigner, the evaluator) is about the task, not its work: say which.
  const task = (a: Agent) => (a.purpose === 'task' ? a.task_id : `${a.task_id} (${a.purpose})`);
  // Why a run ended badly (dead, failed, killed), last: what a person looks at the list for.
  const why = (a: Agent) => (a.state === 'working' || a.state === 'done' ? '' : (a.reason ?? ''));
  return table(
    agents.map((a) => [a.id, a.state, task(a), a.executor, a.model ?? '-', a.pid === null ? '-' : String(a.pid), a.started_at, why(a)]),
  )
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

function tokenLine(t: AgentTokenInfo): string[] {
  const scope =
    t.kind === 'agent'
      ? [t.roles.length ? `roles ${t.roles.join(',')}` : 'any role', t.repos.length ? `repos ${t.repos.join(',')}` : 'any repository'].join(
          ', ',
        )
      : t.kind === 'admin'
        ? 'person, admin'
        : 'person';
  return [
    t.name,
    `…${t.last4}`,
    scope,
    t.revoked_at ? `revoked ${t.revoked_at}` : t.last_used_at ? `last used ${t.last_used_at}` : 'never used',
  ];
}

function createdToken(t: CreatedAgentToken): string {
  if (t.kind !== 'agent') {
    return [
      `${t.kind === 'admin' ? "an admin's" : "a person's"} token for ${t.name}:`,
      t.token,
      `it is shown only this once: give it to ${t.name}, who sets WG_TOKEN to it (with WG_SERVER) or pastes it into the window's Connect`,
    ].join('\n');
  }
  return [
    `agent token ${t.name} (${tokenLine(t)[2]}):`,
    t.token,
    'it is shown only this once: give it to wg agentd as WG_AGENT_TOKEN',
  ].join('\n');
}

function revokedToken(t: AgentTokenInfo): string {
  const at = t.revoked_at ? ` at ${t.revoked_at}` : '';
  return t.kind === 'agent'
    ? `agent token ${t.name} (…${t.last4}) revoked${at}; its daemons are disconnected`
    : `${t.name}'s token (…${t.last4}) revoked${at}; it opens nothing from now on`;
}

/** `wg model set ROLE MODEL` or `wg model set MODEL --role ROLE`: the one change, not the whole registry. */
function roleSet(registry: ModelRegistry, input: Readonly<Record<string, unknown>>): string {
  const role = String(input.role ?? input.name);
  return `role ${role} now uses ${registry.roles[role] ?? String(input.role ? input.name : input.model)}`;
}

function configList(entries: readonly ConfigEntry[]): string {
  return table(entries.map((e) => [e.key, configValue(e), configSource(e)]));
}

/**
 * `wg config --KEY VALUE…`: one line per setting changed, as upstream's `Set agent.model = …`; the
 * whole table only with --list or nothing to change. Where the other file's value still wins, it says so.
 */
function configSet(entries: readonly ConfigEntry[], input: Readonly<Record<string, unknown>>): string {
  const set = Object.entries(CONFIG_KEYS).filter(([flag]) => input[flag] !== undefined);
  if (input.list === true || set.length === 0) return configList(entries);
  const where = input.global === true ? 'global' : 'local';
  return set
    .map(([flag, key]) => {
      const entry = entries.find((e) => e.key === key);
      // A role's model route comes first: the setting is written, and not what its role's runs use.
      if (entry?.unused && entry.via?.startsWith('roles.')) {
        const role = entry.via.slice('roles.'.length);
        return `Set ${key} = ${String(input[flag])}${where === 'global' ? ' (global)' : ''}; ${role} runs use ${configValue(entry)}, the ${role} route (wg model set ${role} MODEL changes it)`;
      }
      const written = entry && entry.source === where ? configValue(entry) : String(input[flag]);
      const other = entry?.source === 'local' ? "the project's" : `the ${entry?.source ?? ''}`;
      const wins =
        entry && entry.source !== where && entry.source !== 'default' ? `; ${other} value ${configValue(entry)} still applies` : '';
      return `Set ${key} = ${written}${where === 'global' ? ' (global)' : ''}${wins}`;
    })
    .join('\n');
}

function modelList(registry: ModelRegistry): string {
  const rows = registry.models.map((m) => [
    `${m.name}${registry.default === m.name ? ' *' : ''}`,
    m.provider,
    m.model_id,
    m.tier,
    m.cost_in === null ? '-' : `$${m.cost_in}/$${m.cost_out ?? '-'}`,
    ...(m.endpoint ? [`endpoint ${m.endpoint}`] : []),
  ]);
  const roles = Object.entries(registry.roles).map(([role, model]) => `role ${role}: ${model}`);
  return [table(rows), ...roles].join('\n');
}

function executorList(profiles: readonly ExecutorProfile[]): string {
  return table(profiles.map((p) => [p.name, p.type, p.command ?? p.endpoint ?? '', p.builtin ? '(built-in)' : '']));
}

function isTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'task';
}

/** `input`: what the command was given (some lines name it: `wg blocked ID` says which task). */
type Formatters = { [N in OpName]?: (result: OpOutput<N>, term: Terminal, input: Readonly<Record<string, unknown>>) => string };

const formatters: Formatters = {
  'task:show': taskPage,
  'task:list': taskList,
  'task:ready': (items) => readyText(items, taskList),
  'graph:export': (text) => text.trimEnd(),
  'graph:viz': (text) => text.trimEnd(),
  'graph:import': (r) =>
    [
      `imported ${r.imported} new, updated ${r.updated}`,
      ...(r.loops.length ? [`kept as loop back edges (they do not block): ${r.loops.join(', ')}`] : []),
    ].join('\n'),
  'config:update': (entries, _term, input) => configSet(entries, input),
  'config:list': configList,
  'model:list': modelList,
  'model:remove': modelList,
  'model:setDefault': modelList,
  'model:setRole': (registry, _term, input) => roleSet(registry, input),
  'token:create': createdToken,
  'token:list': (tokens) => (tokens.length === 0 ? '(no tokens)' : table(tokens.map(tokenLine))),
  'token:revoke': revokedToken,
  'model:add': (m) => `added model ${m.name} (${m.provider} ${m.model_id}, ${m.tier}${m.endpoint ? `, endpoint ${m.endpoint}` : ''})`,
  'executor:list': executorList,
  'executor:remove': executorList,
  'executor:add': (p) => `executor ${p.name} (${p.type}) saved`,
  'eval:show': evaluationText,
  'agent:list': agentList,
  'agent:kill': (r) =>
    r.killed.length ? r.killed.map((a) => `killed ${a.id} (task ${a.task_id} unclaimed)`).join('\n') : 'no agents to kill',
  'agent:dead': (r) =>
    [agentList(r.dead), r.cleaned ? `requeued ${r.cleaned} task(s)` : '', r.purged ? `purged ${r.purged}` : ''].filter(Boolean).join('\n'),
  'run:events': (page) => page.events.map((e) => `${e.seq} ${e.event.type} ${JSON.stringify(e.event).slice(0, 200)}`).join('\n'),
  'service:status': formatStatus,
  'service:pause': formatStatus,
  'service:resume': formatStatus,
  'service:reload': formatStatus,
  'task:spawn': (a) => `spawned ${a.id} on ${a.task_id} (${a.executor})`,
  'task:heartbeat': (a) => `${a.id} heartbeat at ${a.last_heartbeat}`,
  'worktree:list': worktreeList,
  'worktree:show': worktreeDetail,
  'worktree:gc': worktreeGc,
  'worktree:remove': (w) => `removed ${w.id} (${w.path})${w.recover_branch ? `; its commits are kept on ${w.recover_branch}` : ''}`,
  'agency:init': initText,
  'agency:stats': statsText,
  'agency:export': (t) => transferText('exported to', t),
  'agency:import': (t) => transferText('imported from', t),
  'role:add': roleDetail,
  'role:list': roleList,
  'role:show': roleDetail,
  'role:edit': roleDetail,
  'role:rm': (r) => `Removed role '${r.name}' (${r.id.slice(0, 8)})`,
  'tradeoff:add': tradeoffDetail,
  'tradeoff:list': tradeoffList,
  'tradeoff:show': tradeoffDetail,
  'tradeoff:rm': (t) => `Removed tradeoff '${t.name}' (${t.id.slice(0, 8)})`,
  'identity:create': identityDetail,
  'identity:list': identityList,
  'identity:show': identityDetail,
  'identity:rm': (a) => `Removed agent '${a.name}' (${a.id.slice(0, 8)})`,
  'task:assign': assignText,
  'task:log': (result, _term, input) => logListText(result, typeof input.actor === 'string' ? input.actor : undefined),
  'task:artifact': (result, _term, input) => artifactText(result, input),
  'graph:status': statusText,
  'task:context': contextText,
  'task:blocked': (blockers, _term, input) => blockedText(blockers, String(input.id)),
  'task:whyBlocked': whyBlockedText,
  'graph:check': checkText,
  'task:cost': costText,
  'graph:criticalPath': criticalPathText,
  'graph:bottlenecks': bottlenecksText,
  'task:resume': resumeText,
  'task:abandon': (result, _term, input) => abandonText(result, typeof input.reason === 'string' ? input.reason : undefined),
  'task:publish': (result, _term, input) => publishText(result, input.only === true),
  'task:approve': approveText,
  'task:reject': rejectText,
  'task:requeue': requeueText,
  'task:reclaim': (task, _term, input) => reclaimText(task, String(input.from)),
  'eval:run': (run) =>
    run.prompt ??
    (run.evaluation
      ? [`Evaluated '${run.task_id}' (now ${run.status})`, evaluationText(run.evaluation)].join('\n')
      : `No score recorded for '${run.task_id}' (see wg show ${run.task_id})`),
  'task:fail': (task) => withRetries(task),
  'task:retry': (task) => withRetries(task),
  'task:incomplete': (task, _term, input) => incompleteText(task, typeof input.reason === 'string' ? input.reason : undefined),
  // Upstream's `wg wait` prints these two lines: the agent is told to exit; the coordinator starts the task again.
  'task:wait': (task, _term, input) =>
    `Parked task '${task.id}'. Condition: ${String(input.until)}\nCheckpoint saved. You should now exit cleanly.`,
  'msg:send': sentText,
  'msg:list': (messages, _term, input) => messageListText(messages, String(input.task)),
  'msg:read': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'unread'),
  'msg:poll': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'new'),
};

/** `wg fail` and `wg retry`: the task's line, then its retries as every command says them (shared/retry-budget.ts). */
function withRetries(task: Task): string {
  const line = `${task.id}: ${task.status}${task.paused ? ' (paused)' : ''} — ${task.title}`;
  return task.retry_limit === undefined ? line : `${line}\n  Retries: ${retriesText(task.retry_count, task.retry_limit)}`;
}

/** Mutations that return a task print one line naming what happened. */
export function formatResult<N extends OpName>(
  name: N,
  result: OpOutput<N>,
  term: Terminal = PLAIN_TERMINAL,
  input: Readonly<Record<string, unknown>> = {},
): string {
  const format = formatters[name] as ((r: OpOutput<N>, t: Terminal, i: Readonly<Record<string, unknown>>) => string) | undefined;
  if (format) return format(result, term, input);
  if (isTask(result)) {
    const task = result;
    return `${task.id}: ${task.status}${task.paused ? ' (paused)' : ''} — ${task.title}`;
  }
  return typeof result === 'string' ? result : JSON.stringify(result, null, 2);
}

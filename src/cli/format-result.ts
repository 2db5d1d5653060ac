import { agentdStatusText } from './agentd-status-format';
import { runOutputText } from './run-output-format';
import type { Agent, ListedAgent } from '../shared/agent';
import type { AgentTokenInfo, CreatedAgentToken } from '../shared/remote-types';
import type { DeadAgentsResult, KillResult, RunElsewhere } from '../shared/service-types';
import { plainText } from '../core/text/plain-text';
import type { ConfigEntry, ExecutorProfile, ModelRegistry } from '../shared/config-types';
import { configSource, configValue } from './config-format';
import { CONFIG_KEYS } from '../shared/config-keys';
import { evaluationLines, taskPage } from './task-page';
import { PLAIN_TERMINAL, type Terminal } from './terminal';
import type { OpName, OpOutput } from '../shared/ops/registry';
import { isSystemTaskId, runsAsAgentTask, type Evaluation, type Task, type TaskSummary } from '../shared/task';
import { pausedMark } from './task-markers';
import type { TaskEvaluations } from '../shared/ops/domains/evaluation-ops';
import type { EvaluationRecord } from '../shared/agency';
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
import { heartbeatText } from './heartbeat-format';
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
import { insertText, recoverText, rescueText, resetText } from './surgery-format';
import { funcApplyText, funcExtractText, funcListText, funcShowText } from './func-format';
import { checkpointText, execText, nextText } from './loop-format';
import { archiveRestoreText, archiveSearchText, archiveText, gcText } from './cleanup-format';
import {
  snapshotDiffText,
  snapshotListText,
  snapshotRestoreText,
  snapshotText,
  spendText,
  statsText as timeStatsText,
  traceImportText,
  traceText,
} from './history-format';

/** Human-readable output per operation; `--json` bypasses all of this. */

function taskLine(task: TaskSummary, nowMs: number): string[] {
  const retries =
    task.retry_count > 0 && task.retry_limit !== undefined ? `retries ${retriesText(task.retry_count, task.retry_limit)}` : '';
  const flags = [task.paused ? 'paused' : '', task.assigned ? `@${task.assigned}` : '', retries].filter(Boolean).join(' ');
  return [task.id, task.status, task.priority, `${task.title}${listMarkers(task, nowMs)}${flags ? `  (${flags})` : ''}`];
}

function taskList(tasks: readonly TaskSummary[]): string {
  const now = Date.now();
  return tasks.length === 0 ? 'No tasks found' : table(tasks.map((task) => taskLine(task, now)));
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

/**
 * `wg agents`: upstream's table (its output_table: a header, ID, TASK, EXECUTOR, PID, UPTIME, STATUS, with this app's
 * model beside the executor and why a run ended after its status), then upstream's summary line after a blank line:
 * "N agent(s) total: X alive, Y dead" when a run is dead, else "N agent(s)". Alive and dead as upstream counts them:
 * working with its process running, and a dead status (a killed run's is dead, as listedRun says).
 */
function listedAgentsText(agents: readonly ListedAgent[]): string {
  if (agents.length === 0) return 'No agents registered.';
  const task = (a: Agent) => (a.purpose === 'task' ? a.task_id : `${a.task_id} (${a.purpose})`);
  // Why a run ended badly, after its status word: the reason says more than upstream's "dead (process exited)".
  const status = (a: ListedAgent) =>
    a.state === 'working' || a.state === 'done' || !a.reason ? a.status : `${a.status.replace(/ \(.*\)$/, '')}: ${a.reason}`;
  // Uptime of a run still working; an ended run's would only keep growing (--json keeps upstream's uptime for every run).
  const uptime = (a: ListedAgent) => (a.state === 'working' && a.process_alive ? a.uptime : '-');
  const rows = agents.map((a) => [a.id, task(a), a.executor, a.model ?? '-', a.pid === null ? '-' : String(a.pid), uptime(a), status(a)]);
  const alive = agents.filter((a) => a.state === 'working' && a.process_alive).length;
  const dead = agents.filter((a) => a.status.startsWith('dead')).length;
  const summary = dead > 0 ? `${agents.length} agent(s) total: ${alive} alive, ${dead} dead` : `${agents.length} agent(s)`;
  return [table([['ID', 'TASK', 'EXECUTOR', 'MODEL', 'PID', 'UPTIME', 'STATUS'], ...rows]), '', summary].join('\n');
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
  if (input.installGlobal === true) return "Installed the project's config.toml as the global config";
  const set = Object.entries(CONFIG_KEYS).filter(([flag]) => input[flag] !== undefined);
  const routes = Object.entries((input.roleModel ?? {}) as Record<string, unknown>).map(
    ([role, model]) => `Set roles.${role} = ${String(model)}${input.global === true ? ' (global)' : ''}`,
  );
  const unset = Array.isArray(input.unset) ? input.unset.map(String) : [];
  if (input.list === true || set.length + routes.length + unset.length === 0) return configList(entries);
  const where = input.global === true ? 'global' : 'local';
  return [
    ...routes,
    ...set.map(([flag, key]) => configLine(entries, input, flag, key, where)),
    ...unset.map((key) => unsetLine(entries, key, where)),
  ].join('\n');
}

/** `--unset KEY`: the one setting taken out, and what applies now (the other file's value, or the default). */
function unsetLine(entries: readonly ConfigEntry[], key: string, where: 'global' | 'local'): string {
  const entry = entries.find((e) => e.key === key);
  const now = entry ? `; ${configValue(entry)} applies now ${configSource(entry)}` : '';
  return `Unset ${key}${where === 'global' ? ' (global)' : ''}${now}`;
}

/** One setting changed, and where the other file's value (or a role's route) still wins over it. */
function configLine(
  entries: readonly ConfigEntry[],
  input: Readonly<Record<string, unknown>>,
  flag: string,
  key: string,
  where: 'global' | 'local',
): string {
  const entry = entries.find((e) => e.key === key);
  // A role's model route comes first: the setting is written, and not what its role's runs use.
  if (entry?.unused && entry.via?.startsWith('roles.')) {
    const role = entry.via.slice('roles.'.length);
    return `Set ${key} = ${String(input[flag])}${where === 'global' ? ' (global)' : ''}; ${role} runs use ${configValue(entry)}, the ${role} route (wg model set ${role} MODEL changes it)`;
  }
  // On a team's graph the project's write of a team setting went to the team's settings.
  const target = where === 'local' && entry?.source === 'team' ? 'team' : where;
  const written = entry && entry.source === target ? configValue(entry) : String(input[flag]);
  const other = entry?.source === 'local' ? "the project's" : entry?.source === 'team' ? "the team's" : `the ${entry?.source ?? ''}`;
  const wins = entry && entry.source !== target && entry.source !== 'default' ? `; ${other} value ${configValue(entry)} still applies` : '';
  return `Set ${key} = ${written}${where === 'global' ? ' (global)' : ''}${wins}`;
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
  'graph:copy': (r) =>
    [
      `copied ${r.counts.tasks} tasks, ${r.counts.task_log} log entries, ${r.counts.agents} agent runs, ${r.counts.evaluations} evaluations, ${r.counts.messages} messages and ${r.counts.agency} agency entries (${r.counts.rows} rows in all) into ${r.to}`,
      r.switched
        ? `this project now keeps its graph there (config.toml [store] url); the old store is left as it was`
        : // A copy is of this moment: switching to it later would lose what changed since, so the way there is a copy again.
          `this project still keeps its graph where it did, and the copy will not follow its changes; ${r.to.includes('://') ? 'to move the project there, copy it with --switch into an empty schema (another &schema=NAME, or this one emptied)' : 'to use the copy, put it in a project folder as .workgraph/graph.db'}`,
      ...(r.settings_kept
        ? [`the team's ${r.settings_kept} settings are in this folder's config.toml too, for a project that uses the copy`]
        : []),
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
  'eval:show': (result, _term, input) => ('evaluations' in result ? taskEvaluationsText(result) : evaluationHistoryText(result, input)),
  'agent:list': listedAgentsText,
  'agent:kill': (r) =>
    r.tree
      ? [killTreeText(r.tree, r.killed), ...killedElsewhereLines(r.elsewhere)].join('\n')
      : r.killed.length
        ? r.killed.map((a) => killedLine(a, r.paused === true, r.elsewhere, r.not_holding)).join('\n')
        : 'no running agents to kill',
  'agent:dead': (r) =>
    [
      r.processes
        ? processCheckText(r.processes)
        : [
            agentList(r.dead),
            r.cleaned ? `requeued ${r.cleaned} task(s)` : '',
            r.purged ? `purged ${r.purged}` : '',
            r.dirs_deleted?.length ? `deleted ${r.dirs_deleted.length} run folder(s): ${r.dirs_deleted.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
      ...(r.elsewhere ?? []).map(leftElsewhereLine),
    ].join('\n'),
  'run:events': runOutputText,
  'remote:status': agentdStatusText,
  'service:status': formatStatus,
  // Upstream's one line each; `wg service status` shows the rest.
  'service:pause': () => 'Coordinator paused (running agents continue, no new spawns)',
  'service:resume': () => 'Coordinator resumed',
  'service:reload': (s) =>
    `Configuration updated (max agents ${s.max_agents}${s.paused ? ', paused' : ''}; wg service status shows the rest)`,
  'task:spawn': (a) => `spawned ${a.id} on ${a.task_id} (${a.executor})`,
  'task:heartbeat': heartbeatText,
  'worktree:list': worktreeList,
  'worktree:show': worktreeDetail,
  'worktree:gc': worktreeGc,
  // Upstream's archive lines (it prints them on stderr, "[worktree] …"; here, as every command's report, on stdout).
  'worktree:archive': ({ agent, committed, removed, worktree }) =>
    [
      committed.length > 0
        ? `[worktree] Committed ${committed.length} file(s) left uncommitted in ${agent} on ${worktree.branch}`
        : `[worktree] No uncommitted changes in ${agent}`,
      ...(removed
        ? [
            `[worktree] Archived and removed: ${agent}${worktree.recover_branch ? `; its commits are kept on ${worktree.recover_branch}` : ''}`,
          ]
        : [`[worktree] Archived (preserved on disk): ${agent}`, `  To remove: wg worktree archive ${agent} --remove`]),
    ].join('\n'),
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
  // Upstream's first line says the agent was made; the page after it is what `wg agent show` prints.
  'identity:create': (a) => `Created agent '${a.name}' (${a.id.slice(0, 8)})\n${identityDetail(a)}`,
  'identity:list': identityList,
  'identity:show': identityDetail,
  'identity:rm': (a) => `Removed agent '${a.name}' (${a.id.slice(0, 8)})`,
  'task:assign': assignText,
  'task:log': (result, _term, input) => logListText(result, typeof input.actor === 'string' ? input.actor : undefined, String(input.id)),
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
  // Upstream's words for `wg reschedule` and `wg reprioritize`.
  'task:reschedule': (task) =>
    task.not_before
      ? `Rescheduled '${task.id}' - not ready until ${task.not_before}`
      : `Cleared not_before for '${task.id}' - task is now ready`,
  'task:reprioritize': ({ task, before, after, changed }) =>
    changed ? `Reprioritized '${task.id}': ${before} -> ${after}` : `Task '${task.id}' already has priority '${after}'`,
  'task:abandon': (result, _term, input) => abandonText(result, typeof input.reason === 'string' ? input.reason : undefined),
  'task:publish': (result, _term, input) => publishText(result, input.only === true, input.wcc === true),
  'task:approve': approveText,
  'task:reject': rejectText,
  'task:requeue': requeueText,
  'task:reclaim': (task, _term, input) => reclaimText(task, String(input.from)),
  'eval:run': (run) =>
    run.prompt ??
    (run.evaluation
      ? [`Evaluated '${run.task_id}' (now ${run.status})`, evaluationText(run.evaluation)].join('\n')
      : `No score recorded for '${run.task_id}' (see wg show ${run.task_id})`),
  'eval:record': (task, _term, input) =>
    [
      `Recorded evaluation for task '${task.id}'`,
      `  Score:  ${Number(input.score).toFixed(2)}`,
      `  Source: ${typeof input.source === 'string' ? input.source : 'manual'}`,
    ].join('\n'),
  // Upstream's words for wg pause and wg unclaim (its pause and unclaim run functions).
  'task:pause': (task) => `Paused '${task.id}'`,
  'task:unclaim': (task) => `Unclaimed '${task.id}'`,
  // Upstream's words: "Claimed 'X' for 'A'", or "Claimed 'X'" without an actor.
  'task:add': (task, _term, input) => addedText(task, input),
  'task:claim': (task, _term, input) => {
    const actor = input.agent ?? input.actor;
    return typeof actor === 'string' ? `Claimed '${task.id}' for '${actor}'` : `Claimed '${task.id}'`;
  },
  // Upstream's words for wg done, fail, retry and edit (its run functions of each), then the retries as every
  // command here says them (shared/retry-budget.ts).
  // Upstream's words for a done left waiting for its evaluation (this app's own evaluator has no task to name).
  'task:done': (task) =>
    task.awaiting === undefined
      ? `Marked '${task.id}' as ${task.status}`
      : `Marked '${task.id}' as ${task.status} — awaiting ${task.awaiting === null ? 'its evaluation' : `\`${task.awaiting}\``} to score before downstream tasks unblock`,
  'task:fail': (task, _term, input) =>
    task.unchanged
      ? `Task '${task.id}' is already failed (retry_count: ${task.retry_count})`
      : withRetries(
          task,
          `Marked '${task.id}' as ${task.status}${typeof input.reason === 'string' ? ` (${input.reason})` : ''} (retry #${task.retry_count})`,
        ),
  // Upstream's edit: a line for each change (and each list item that changed nothing), then "\nTask 'X' updated
  // successfully", or those notes and "No changes made to task 'X'". This app's own flags have no line of their own.
  'task:edit': (task) => {
    const lines = task.lines ?? [];
    if (task.unchanged) return [...lines, `No changes made to task '${task.id}'`].join('\n');
    return [...lines, ...(lines.length > 0 ? [''] : []), `Task '${task.id}' updated successfully`].join('\n');
  },
  // Upstream's words for wg add-dep and wg rm-dep (its run_link and run_unlink).
  'task:addDep': (task, _term, input) =>
    task.unchanged
      ? `'${task.id}' already depends on '${String(input.dependency)}' — no change`
      : `Linked: '${task.id}' now depends on '${String(input.dependency)}'`,
  'task:rmDep': (task, _term, input) =>
    task.unchanged
      ? `'${task.id}' does not depend on '${String(input.dependency)}' — no change`
      : `Unlinked: '${task.id}' no longer depends on '${String(input.dependency)}'`,
  // Upstream's retry: "from failed" (or incomplete, here abandoned too); an in-progress one counts its attempt now and
  // names the agent it killed.
  'task:retry': (task) => {
    if (task.retried_from !== 'in-progress') {
      return withRetries(
        task,
        `Reset '${task.id}' from ${task.retried_from ?? 'failed'} to ${task.status} for retry (attempt #${task.retry_count + 1})`,
      );
    }
    const run = task.ended_run;
    const ended = run
      ? `killed agent ${run.id}${run.pid === null || run.pid === undefined ? '' : ` (PID ${run.pid})`}`
      : 'no live agent to kill';
    return withRetries(task, `Reset '${task.id}' from in-progress to ${task.status} (attempt #${task.retry_count}); ${ended}`);
  },
  'task:incomplete': (task, _term, input) => incompleteText(task, typeof input.reason === 'string' ? input.reason : undefined),
  // Upstream's `wg wait` prints these two lines: the agent is told to exit; the coordinator starts the task again.
  'task:wait': (task, _term, input) =>
    `Parked task '${task.id}'. Condition: ${String(input.until)}\nCheckpoint saved. You should now exit cleanly.`,
  'msg:send': sentText,
  'msg:list': (messages, _term, input) => messageListText(messages, String(input.task)),
  'msg:read': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'unread'),
  'msg:poll': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'new'),
  'task:insert': (task, _term, input) => insertText(task, input),
  'task:rescue': (task, _term, input) => rescueText(task, input),
  'task:reset': resetText,
  'task:recover': recoverText,
  'func:list': (functions, _term, input) => funcListText(functions, input),
  'func:show': funcShowText,
  'func:extract': funcExtractText,
  'func:apply': funcApplyText,
  'task:next': nextText,
  'task:checkpoint': checkpointText,
  'task:exec': execText,
  'guide:quickstart': (r) => r.text,
  'graph:events': (events) => events.map((e) => JSON.stringify(e)).join('\n'),
  'graph:gc': gcText,
  'graph:archive': archiveText,
  'archive:search': (tasks, _term, input) => archiveSearchText(tasks, String(input.query)),
  'archive:restore': archiveRestoreText,
  'trace:show': (result, _term, input) => traceText(result, input),
  // Upstream prints the export itself, as JSON, with or without --json.
  'trace:export': (result) => JSON.stringify(result, null, 2),
  'trace:import': (result, _term, input) => traceImportText(result, input),
  'snapshot:list': snapshotListText,
  'snapshot:show': snapshotText,
  'snapshot:diff': snapshotDiffText,
  'snapshot:restore': snapshotRestoreText,
  'usage:spend': spendText,
  'usage:stats': timeStatsText,
};

const agentShort = (id: string | null) => (id ? id.slice(0, 10) : '-');

/** Upstream's `wg evaluate show TASK`: each evaluation's score, source, agent and time, its dimensions under it. */
function taskEvaluationsText(result: TaskEvaluations): string {
  const lines = [`=== Evaluations for task '${result.task_id}' ===`, '', `Evaluations (${result.evaluations.length}):`];
  if (result.evaluations.length === 0) lines.push('  (none)');
  for (const e of result.evaluations) {
    lines.push(`  Score: ${e.score.toFixed(3)}  Source: ${e.source}  Agent: ${agentShort(e.agent_id)}  ${e.timestamp}`);
    for (const [dim, value] of Object.entries(e.dimensions)) lines.push(`    ${dim}: ${value.toFixed(3)}`);
  }
  return lines.join('\n');
}

/** Upstream's `wg evaluate show`: a table of the evaluations, newest first, and their count. */
function evaluationHistoryText(records: readonly EvaluationRecord[], _input: Readonly<Record<string, unknown>>): string {
  if (records.length === 0) return 'No evaluations found.';
  const rows = records.map((e) => [e.task_id.slice(0, 18), e.score.toFixed(2), e.source.slice(0, 14), agentShort(e.agent_id), e.timestamp]);
  return `${table([['Task', 'Score', 'Source', 'Agent', 'Timestamp'], ...rows])}\n\n${records.length} evaluation(s)`;
}

/** A team's graph: the coordinator a run is another's of, as its lease row names it. */
function ownerText(run: RunElsewhere): string {
  return run.host === null ? 'no coordinator' : `the coordinator on ${plainText(run.host)}:${plainText(run.folder ?? '?')}`;
}

/** `wg kill`: one line a run; another coordinator's run was ended through the store, and that coordinator stops it. */
function killedLine(agent: Agent, paused: boolean, elsewhere: readonly RunElsewhere[] = [], notHolding: readonly string[] = []): string {
  const run = elsewhere.find((r) => r.id === agent.id);
  const task = notHolding.includes(agent.id)
    ? `task ${agent.task_id} was no longer its (done, or taken since) and is left as it is`
    : paused
      ? `task ${agent.task_id} paused (\`wg resume ${agent.task_id}\` to start it again)`
      : `task ${agent.task_id} back in the queue`;
  return `killed ${agent.id}${run ? killedElsewhereText(run) : ''}; ${task}`;
}

function killedElsewhereText(run: RunElsewhere): string {
  if (!run.lost) return ` in the store; it runs under ${ownerText(run)}, which stops its process`;
  return run.host === null
    ? ' in the store; it names no coordinator that runs, so no process was signalled here'
    : ` in the store; ${ownerText(run)} was declared lost (it stops its runs if it comes back), so no process was signalled here`;
}

function killedElsewhereLines(elsewhere: readonly RunElsewhere[] = []): string[] {
  return elsewhere.map((run) => `${run.id}: killed${killedElsewhereText(run)}`);
}

/** `wg dead-agents`: a working run of another coordinator, not judged here. */
function leftElsewhereLine(run: RunElsewhere): string {
  const what = `${run.id} (task ${run.task_id})`;
  if (!run.lost) return `${what} runs under ${ownerText(run)}: left to it`;
  return run.host === null
    ? `${what} names no coordinator that runs: the coordinators running take it over`
    : `${what}: ${ownerText(run)} was declared lost; the coordinators still running take it over`;
}

/** Upstream's `wg kill --tree` summary, or its dry run. */
function killTreeText(tree: NonNullable<KillResult['tree']>, killed: readonly Agent[]): string {
  const pid = (a: Agent) => (a.pid === null ? '' : ` (PID ${a.pid})`);
  if (tree.dry_run) {
    const agentOn = (id: string) => tree.would_kill.find((a) => a.task_id === id);
    return [
      'Dry run — no changes will be made',
      '',
      `Tree rooted at '${tree.root}' (${tree.tasks.length} tasks total):`,
      ...tree.tasks.map((id) => {
        const agent = agentOn(id);
        return `  ${id}${agent ? ` [agent: ${agent.id}${pid(agent)}]` : ''}`;
      }),
      '',
      `Would kill ${tree.would_kill.length} agent(s)`,
      tree.no_abandon ? 'Would NOT abandon tasks (--no-abandon)' : `Would abandon ${tree.abandoned.length} task(s)`,
    ].join('\n');
  }
  const lines = [`Killed ${killed.length} agent(s), abandoned ${tree.abandoned.length} task(s)`];
  if (killed.length > 0) lines.push('', 'Killed agents:', ...killed.map((a) => `  ${a.id}${pid(a)} — task '${a.task_id}'`));
  if (tree.abandoned.length > 0) lines.push('', 'Abandoned tasks:', ...tree.abandoned.map((id) => `  ${id}`));
  return lines.join('\n');
}

/** Upstream's `wg dead-agents --processes`. */
function processCheckText(p: NonNullable<DeadAgentsResult['processes']>): string {
  const pid = (n: number | null) => (n === null ? 'no pid' : `PID ${n}`);
  const lines = ['Process check for registered agents:', ''];
  if (p.alive.length > 0)
    lines.push(`Alive (${p.alive.length}):`, ...p.alive.map((a) => `  ${a.id} on '${a.task_id}' (${pid(a.pid)} running)`));
  if (p.dead_process.length > 0) {
    lines.push(
      '',
      `Dead processes (${p.dead_process.length}):`,
      ...p.dead_process.map((a) => `  ${a.id} on '${a.task_id}' (${pid(a.pid)} not running)`),
      '',
      "Run 'wg dead-agents --cleanup' to clean up these agents.",
    );
  }
  if (p.alive.length + p.dead_process.length === 0) lines.push('No agents registered.');
  return lines.join('\n');
}

/**
 * `wg add`, in upstream's words: its scripts read the new id from "Added task: TITLE (ID)" (upstream's
 * smoke scenarios grep `^Added task:`), and a paused task says how to publish it.
 */
function addedText(task: Task, input: Readonly<Record<string, unknown>>): string {
  // A subtask: its parent, the task of the run that asked (WG_TASK_ID, as the handler checked), now waits for it,
  // and the run should end (upstream's words).
  const parent = input.subtask === true ? process.env.WG_TASK_ID : undefined;
  if (parent !== undefined) {
    return [
      `Added subtask: ${task.title} (${task.id})`,
      `  Parent '${parent}' is now waiting for subtask to complete.`,
      '  You should now exit cleanly. The coordinator will re-spawn you when the subtask finishes.',
    ].join('\n');
  }
  const lines = task.paused
    ? [`Added task (draft): ${task.title} (${task.id})`, `  Task is paused (draft mode). When ready, run: wg publish ${task.id}`]
    : [`Added task: ${task.title} (${task.id})`];
  if (input.id === undefined) lines.push(`  Use --after ${task.id} to depend on this task`);
  // Upstream's rule for an id with a leading dot (its is_system_task); said here, as a person may not know it.
  if (isSystemTaskId(task.id) && !runsAsAgentTask(task.id)) {
    lines.push(
      `  An id starting with "." makes a system task: hidden from wg list (see it with wg list --all), and no agent starts it by itself (wg spawn ${task.id} does)`,
    );
  }
  return lines.join('\n');
}

/** `wg fail` and `wg retry`: the task's line, then its retries as every command says them (shared/retry-budget.ts). */
function withRetries(task: Task, line: string): string {
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
    return `${task.id}: ${task.status}${pausedMark(task)} — ${task.title}`;
  }
  return typeof result === 'string' ? result : JSON.stringify(result, null, 2);
}

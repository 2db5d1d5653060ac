import {
  IDENTITY_CLEARED,
  shortHash,
  type AgencyInitResult,
  type AgencyStats,
  type AgencyTransfer,
  type IdentityView,
  type Performance,
  type RoleView,
  type StatRow,
  type TradeoffView,
} from '../shared/agency';
import type { Task } from '../shared/task';
import { table } from './table';

/* How `wg agency|role|tradeoff|agent|assign` print (upstream's wording where it has one). */

const score = (value: number | null) => (value === null ? '-' : value.toFixed(2));
const perfText = (p: Performance) => `tasks: ${p.tasks}  evaluations: ${p.evaluations}  avg_score: ${score(p.avg_score)}`;
const dimensionLines = (dims: Record<string, number>) =>
  Object.entries(dims).map(([name, value]) => `  └ ${name.replace(/_/g, ' ')}: ${value.toFixed(2)}`);
const bullets = (items: readonly string[]) => (items.length > 0 ? items.map((i) => `  - ${i}`) : ['  (none)']);

export function initText(r: AgencyInitResult): string {
  const lines: string[] = [];
  if (r.roles_created > 0 || r.tradeoffs_created > 0) lines.push(`Seeded ${r.roles_created} roles and ${r.tradeoffs_created} tradeoffs.`);
  for (const name of r.agents_created) lines.push(`Created agent: ${name}.`);
  if (r.config_changed) lines.push('Enabled auto_assign and auto_evaluate in config.');
  if (lines.length === 0) return `Agency already initialized (default agent ${shortHash(r.default_agent)}).`;
  lines.push('', 'Agency is ready: ready tasks get an agent identity, and finished work is evaluated before dependents start.');
  return lines.join('\n');
}

export const roleList = (roles: readonly RoleView[]) =>
  roles.length === 0
    ? "No roles defined. Use 'wg role add' to create one (or 'wg agency init')."
    : table(
        roles.map((r) => [
          shortHash(r.id),
          r.name,
          `skills: ${r.skills.length}`,
          `tasks: ${r.performance.tasks}`,
          `avg_score: ${score(r.performance.avg_score)}`,
        ]),
      );

export function roleDetail(r: RoleView): string {
  return [
    `Role: ${r.name} (${shortHash(r.id)})`,
    `ID: ${r.id}`,
    `Description: ${r.description || '(none)'}`,
    `Desired outcome: ${r.outcome}`,
    'Skills:',
    ...bullets(r.skills.map((s) => (s.description ? `${s.name}: ${s.description}` : s.name))),
    `Performance: ${perfText(r.performance)}`,
    ...dimensionLines(r.performance.dimensions),
  ].join('\n');
}

export const tradeoffList = (items: readonly TradeoffView[]) =>
  items.length === 0
    ? "No tradeoffs defined. Use 'wg tradeoff add' to create one (or 'wg agency init')."
    : table(
        items.map((t) => [
          shortHash(t.id),
          t.name,
          `accept: ${t.acceptable.length}`,
          `reject: ${t.unacceptable.length}`,
          `avg_score: ${score(t.performance.avg_score)}`,
        ]),
      );

export function tradeoffDetail(t: TradeoffView): string {
  return [
    `Tradeoff: ${t.name} (${shortHash(t.id)})`,
    `ID: ${t.id}`,
    `Description: ${t.description}`,
    'Acceptable tradeoffs:',
    ...bullets(t.acceptable),
    'Unacceptable tradeoffs:',
    ...bullets(t.unacceptable),
    `Performance: ${perfText(t.performance)}`,
  ].join('\n');
}

export const identityList = (items: readonly IdentityView[]) =>
  items.length === 0
    ? "No agents defined. Use 'wg agent create' to create one (or 'wg agency init')."
    : table(
        items.map((a) => [
          shortHash(a.id),
          a.name,
          `${a.role_name ?? shortHash(a.role_id)} + ${a.tradeoff_name ?? shortHash(a.tradeoff_id)}`,
          `tasks: ${a.performance.tasks}`,
          `avg_score: ${score(a.performance.avg_score)}${a.special ? '  (special)' : ''}`,
        ]),
      );

export function identityDetail(a: IdentityView): string {
  return [
    `Agent: ${a.name} (${shortHash(a.id)})`,
    `ID: ${a.id}`,
    `Role: ${a.role_name ?? '(missing)'} (${shortHash(a.role_id)})`,
    `Tradeoff: ${a.tradeoff_name ?? '(missing)'} (${shortHash(a.tradeoff_id)})`,
    `Executor: ${a.executor}`,
    ...(a.model ? [`Preferred model: ${a.model}`] : []),
    ...(a.capabilities.length ? [`Capabilities: ${a.capabilities.join(', ')}`] : []),
    `Performance: ${perfText(a.performance)}`,
    ...dimensionLines(a.performance.dimensions),
  ].join('\n');
}

function statTable(title: string, rows: readonly StatRow[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    `${title}:`,
    table(
      rows.map((r) => [
        `  ${shortHash(r.id)}`,
        r.name,
        `tasks: ${r.tasks}`,
        `evals: ${r.evaluations}`,
        `avg: ${score(r.avg_score)}`,
        Object.entries(r.dimensions)
          .map(([d, v]) => `${d}=${v.toFixed(2)}`)
          .join(' '),
      ]),
    ),
  ];
}

export function statsText(s: AgencyStats): string {
  return [
    `Tasks with an agent: ${s.tasks}   evaluations: ${s.evaluations}   average score: ${score(s.avg_score)}`,
    ...dimensionLines(s.dimensions),
    ...statTable('By agent', s.by_agent),
    ...statTable('By role', s.by_role),
    ...statTable('By tradeoff', s.by_tradeoff),
    ...breakdownLines(s),
  ].join('\n');
}

const indented = (rows: string[][]): string[] =>
  table(rows)
    .split('\n')
    .map((l) => `  ${l}`);

/** Upstream's further sections: the synergy matrix, the scores by tag, the pairs under-explored, then --by-model's and --by-task-type's. */
function breakdownLines(s: AgencyStats): string[] {
  const lines: string[] = [];
  if (s.synergy_matrix && s.synergy_matrix.length > 0) {
    lines.push('', 'Synergy matrix (role x tradeoff):');
    lines.push(
      ...indented([
        ['Role', 'Tradeoff', 'Avg', 'Count', 'Rating'],
        ...s.synergy_matrix.map((c) => [
          shortHash(c.role_id),
          shortHash(c.tradeoff_id),
          c.avg_score.toFixed(2),
          String(c.count),
          c.rating === 'medium' ? '' : c.rating.toUpperCase(),
        ]),
      ]),
    );
  }
  const tagRows = (cells: ReadonlyArray<{ id: string; tag: string; avg_score: number; count: number }>) =>
    cells.map((c) => [shortHash(c.id), c.tag, c.avg_score.toFixed(2), String(c.count)]);
  const byRole = tagRows(s.tag_breakdown?.by_role.map((c) => ({ ...c, id: c.role_id })) ?? []);
  const byTradeoff = tagRows(s.tag_breakdown?.by_tradeoff.map((c) => ({ ...c, id: c.tradeoff_id })) ?? []);
  if (byRole.length > 0) lines.push('', 'Score by role x tag:', ...indented([['Role', 'Tag', 'Avg', 'Count'], ...byRole]));
  if (byTradeoff.length > 0) lines.push('', 'Score by tradeoff x tag:', ...indented([['Tradeoff', 'Tag', 'Avg', 'Count'], ...byTradeoff]));
  if (s.underexplored && s.underexplored.length > 0) {
    lines.push('', `Under-explored combinations (< ${s.min_evals} evals):`);
    lines.push(
      ...table([
        ['Role', 'Tradeoff', 'Evals'],
        ...s.underexplored.map((u) => [shortHash(u.role_id), shortHash(u.tradeoff_id), String(u.eval_count)]),
      ])
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  if (s.model_leaderboard) {
    lines.push('', 'Model leaderboard:');
    const rows = s.model_leaderboard.map((m) => [m.model, m.avg_score.toFixed(2), String(m.eval_count), m.trend]);
    lines.push(
      ...(rows.length
        ? table([['Model', 'Avg', 'Evals', 'Trend'], ...rows])
            .split('\n')
            .map((l) => `  ${l}`)
        : ['  (no evaluations)']),
    );
  }
  if (s.task_type_breakdown) {
    lines.push('', 'Recommendations by task type:');
    const rows = s.task_type_breakdown.recommendations.map((r) => [
      r.task_type,
      r.best_role ? `${shortHash(r.best_role.role_id)} (${r.best_role.avg_score.toFixed(2)})` : '(insufficient data)',
      r.best_model ? `${r.best_model.model} (${r.best_model.avg_score.toFixed(2)})` : '(insufficient data)',
    ]);
    lines.push(
      ...table([['Task type', 'Best role', 'Best model'], ...rows])
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  return lines;
}

export function transferText(verb: string, t: AgencyTransfer): string {
  const c = t.counts;
  return [
    `${verb} ${t.path}: ${c.roles} roles, ${c.tradeoffs} tradeoffs, ${c.agents} agents, ${c.components} components, ${c.outcomes} outcomes, ${c.evaluations} evaluations`,
    ...t.skipped.map((s) => `skipped ${s}`),
  ].join('\n');
}

export const assignText = (task: Task, _term: unknown, input: Readonly<Record<string, unknown>>) => {
  const said = task.log.at(-1)?.message ?? '';
  // A clear that found no identity wrote nothing: its task's last line is another change's.
  if (input.clear === true && said !== IDENTITY_CLEARED) return `${task.id}: had no agent identity (no change)`;
  return `${task.id}: ${task.agent ? `agent ${shortHash(task.agent)}` : 'no agent identity'} — ${said}`;
};

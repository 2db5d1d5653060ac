import { debugStatus } from '../core/graph/analysis/task-index';
import type { CyclesReport, ImpactReport, PlanFit, PlanReport } from '../shared/planning';
import type { TaskStatus } from '../shared/task';

/** `wg cycles` for people, as upstream's print_human. */
export function cyclesText(r: CyclesReport): string {
  if (r.cycles.length === 0) return 'No cycles detected in after edges.';
  const lines = [`Cycles detected: ${r.cycles.length}`, ''];
  r.cycles.forEach((cycle, i) => {
    const path = [cycle.header, ...cycle.members.filter((m) => m !== cycle.header), cycle.header];
    lines.push(`  ${i + 1}. ${path.join(' -> ')} [${cycle.reducible ? 'REDUCIBLE' : 'IRREDUCIBLE'}]`);
    lines.push(`     Header: ${cycle.header}`, `     Members: ${cycle.members.join(', ')}`);
    const back = r.back_edges.filter((e) => e.to === cycle.header);
    if (back.length > 0) lines.push(`     Back-edges: ${back.map((e) => `${e.from} -> ${e.to}`).join(', ')}`);
    for (const member of cycle.member_statuses) {
      lines.push(`       ${member.id} [${member.status}]${member.id === cycle.header ? ' (header)' : ''} - ${member.title}`);
    }
    if (!cycle.reducible) lines.push('     WARNING: Irreducible cycle has multiple entry points.');
    lines.push('');
  });
  lines.push(`  Irreducible cycles: ${r.cycles.filter((c) => !c.reducible).length}`);
  return lines.join('\n');
}

/** `wg impact ID` for people, as upstream's. */
export function impactText(r: ImpactReport): string {
  const lines = [`Task: ${r.task.id}`, `Status: ${debugStatus(r.task.status as TaskStatus)}`];
  if (r.task.hours !== null) lines.push(`Estimated: ${r.task.hours}h`);
  lines.push('');
  if (r.direct_dependents.length === 0) lines.push('Direct dependents: none');
  else {
    lines.push(`Direct dependents (${r.direct_dependents.length}):`);
    for (const d of r.direct_dependents) lines.push(`  - ${d.id}${d.hours === null ? '' : ` (${d.hours}h)`}`);
  }
  lines.push('');
  if (r.transitive_dependents.length > 0) {
    lines.push(`Transitive dependents (${r.transitive_dependents.length}):`);
    for (const chain of r.dependency_chains) if (chain.length > 1) lines.push(`  - ${chain.join(' -> ')}`);
    lines.push('');
  }
  lines.push(
    'Impact summary:',
    `  If ${r.task.id} is delayed by 1 day:`,
    `    - ${r.impact_summary.total_tasks_affected} tasks delayed`,
    `    - Total hours at risk: ${r.impact_summary.total_hours_at_risk}h`,
  );
  return lines.join('\n');
}

const whole = (n: number) => n.toFixed(0);

function fitLines(plan: PlanFit, money: boolean): string[] {
  const amounts = (t: { cost: number; hours: number }) =>
    money ? `$${whole(t.cost)}, ${whole(t.hours)}h` : `${whole(t.hours)}h, $${whole(t.cost)}`;
  const lines: string[] = [];
  if (plan.fits.length === 0) lines.push(`  No tasks fit within this ${money ? 'budget' : 'time'}.`);
  else {
    for (const t of plan.fits) lines.push(`  [x] ${t.id} (${amounts(t)}) - ${t.is_ready ? 'ready' : 'unblocked'}`);
    lines.push(`  Remaining: ${money ? `$${whole(plan.remaining)}` : `${whole(plan.remaining)}h`}`);
  }
  if (plan.exceeds.length > 0) {
    lines.push('', 'Cannot fit:');
    for (const t of plan.exceeds) lines.push(`  [ ] ${t.id} (${amounts(t)}) - exceeds remaining ${money ? 'budget' : 'hours'}`);
  }
  return lines;
}

/** `wg plan` for people, as upstream's print_human_output. */
export function planText(r: PlanReport): string {
  if (!r.budget_plan && !r.hours_plan) {
    const s = r.summary;
    return [
      'Project Status:',
      `  Tasks: ${s.open} open, ${s.done} done, ${s.in_progress} in-progress`,
      `  Estimated: $${whole(s.total_cost)} / ${whole(s.total_hours)} hours remaining`,
      `  Ready: ${s.ready} tasks`,
      `  Blocked: ${s.blocked} tasks`,
    ].join('\n');
  }
  const lines: string[] = [];
  if (r.budget_plan) lines.push(`With budget of $${whole(r.budget_plan.budget)}, you can complete:`, '', ...fitLines(r.budget_plan, true));
  if (r.hours_plan) {
    if (r.budget_plan) lines.push('');
    lines.push(`With ${whole(r.hours_plan.hours)} hours, you can complete:`, '', ...fitLines(r.hours_plan, false));
  }
  return lines.join('\n');
}

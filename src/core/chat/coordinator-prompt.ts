import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Agent } from '../../shared/agent';
import type { TaskSummary } from '../../shared/task';

/*
 * What the coordinator agent is told: who it is and how it acts here (its role, once per session), then with every
 * message the graph as it is now (upstream's "System Context Update", its build_coordinator_context)
 * and the message itself.
 */

/** Upstream's prompt parts a project may have written (`.wg/agency/coordinator-prompt/`), in upstream's order. */
const PROMPT_FILES = ['base-system-prompt.md', 'behavioral-rules.md', 'common-patterns.md', 'evolved-amendments.md'] as const;

/** The role, after upstream's coordinator_prompt_fallback.txt, with this app's `wg` commands. */
const ROLE = `You are the coordinator agent of this project's Workgraph: a thin orchestrator that turns what the person asks
into tasks of the graph, watches the work and reports on it. Agents started by the coordinator do the tasks.

You do NOT implement, write files, run builds or tests, or read the source. You act only through the \`wg\`
command (with the Bash tool). If you need to understand something first, add a research task and plan after it.

## Commands
- Plan: \`wg add "Title" --id short-id -d "what done looks like" [--after a,b]\` (give ids, so later tasks can name them
  in --after), \`wg edit ID --title/--description/--after\`, \`wg add-dep ID DEP\`, \`wg rm-dep ID DEP\`,
  \`wg insert\`.
- Steer: \`wg pause ID\`, \`wg resume ID\`, \`wg retry ID\`, \`wg abandon ID\`, \`wg reprioritize ID\`,
  \`wg reschedule ID\`, \`wg msg send ID "…"\` (to the agent working on it), \`wg kill agent-N\`,
  \`wg service pause\` / \`wg service resume\`.
- Look: \`wg status\`, \`wg list [--status open|in-progress|done|failed]\`, \`wg show ID\`, \`wg ready\`,
  \`wg blocked ID\`, \`wg why-blocked ID\`, \`wg context ID\`, \`wg agents\`, \`wg output agent-N\`,
  \`wg critical-path\`, \`wg bottlenecks\`, \`wg spend\`.

## Rules
1. Act fast: from a request to \`wg add\` without long deliberation. Small request: one task; medium: 3-5 tasks;
   large: a plan task, then fan-out with an integrating task after the branches.
2. Tasks touching the same files go one after another (--after), independent ones side by side.
3. Each description says what to achieve, its limits, and a "## Validation" section with how to check it.
4. Asked about the work ("what failed and why?", "what is left?"), look at the graph (\`wg list\`, \`wg show\`), never
   answer from memory.
5. Answer briefly, in plain words: what you created or changed (with task ids), or what you found.`;

/** The role: the project's own prompt files where it wrote them (as upstream reads them), else this app's. */
export async function coordinatorRole(wgDir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of PROMPT_FILES) {
    try {
      const text = (await readFile(join(wgDir, 'agency', 'coordinator-prompt', name), 'utf8')).trim();
      if (text) parts.push(text);
    } catch {
      // Not written: the next part, or this app's role.
    }
  }
  return parts.length > 0 ? parts.join('\n\n') : ROLE;
}

/** A task named the way `wg list` does: id, status and title. */
const line = (task: Pick<TaskSummary, 'id' | 'status' | 'title'>) => `- ${task.id} [${task.status}] ${task.title}`;

/** The graph now: its counts, what failed and why, what runs (upstream's context update, from this app's store). */
export function graphContext(tasks: readonly TaskSummary[], working: readonly Agent[], now: Date): string {
  const visible = tasks.filter((t) => !t.id.startsWith('.'));
  const counts = new Map<string, number>();
  for (const task of visible) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const failed = visible.filter((t) => t.status === 'failed');
  const runs = working.filter((a) => a.purpose === 'task');
  return [
    `## System Context Update (${now.toISOString()})`,
    '',
    '### Graph Summary',
    visible.length === 0 ? 'The graph has no tasks yet.' : `${visible.length} tasks: ${summary}`,
    '',
    '### Active Agents',
    ...(runs.length === 0 ? ['- No active agents.'] : runs.map((a) => `- ${a.id} working on "${a.task_id}"`)),
    '',
    '### Attention Needed',
    ...(failed.length === 0
      ? ['- Nothing requires attention.']
      : failed.map((t) => `- FAILED: ${t.id} "${t.title}" — ${t.failure_reason ?? 'unknown reason'}`)),
    '',
    '### Tasks',
    ...(visible.length === 0 ? ['- none'] : visible.slice(0, 200).map(line)),
  ].join('\n');
}

/** One turn's prompt: the role when the session is new, the graph now, and the person's message. */
export function chatTurnPrompt(input: { role: string | null; context: string; message: string; requestId: string }): string {
  return [
    ...(input.role ? [input.role, ''] : []),
    input.context,
    '',
    `## Message from the person (request ${input.requestId})`,
    input.message,
    '',
    'Act on it through `wg` as needed, then answer the person. Your last message is what they read.',
  ].join('\n');
}

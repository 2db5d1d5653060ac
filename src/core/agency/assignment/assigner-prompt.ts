import { shortHash } from '../../../shared/agency';
import type { Task } from '../../../shared/task';
import { identitySection, type ResolvedIdentity } from '../../executors/identity-prompt';
import type { Candidate } from './fallback';

/** Upstream's exec modes: how much of the tools an agent gets (recorded; this app's executors run `full`). */
export const EXEC_MODES = ['full', 'light', 'bare', 'shell'] as const;
export const CONTEXT_SCOPES = ['clean', 'task', 'graph', 'full'] as const;

export interface AssignerPromptInput {
  task: Pick<Task, 'id' | 'title' | 'description' | 'tags' | 'after'>;
  candidates: readonly Candidate[];
  /** The assigner's own identity (the Default Assigner after `wg agency init`). */
  assigner: ResolvedIdentity | null;
  executorType: string;
}

function catalogLine(c: Candidate, tradeoffName: string | null): string {
  const avg = c.performance.avg_score === null ? 'none' : c.performance.avg_score.toFixed(2);
  const skills = c.role?.skills.map((s) => s.name) ?? [];
  return (
    `- **${c.identity.name}** (hash: ${shortHash(c.identity.id)}): role=${c.role?.name ?? '?'}, tradeoff=${tradeoffName ?? '?'}, ` +
    `score=${avg}, tasks=${c.performance.tasks}${c.identity.capabilities.length ? `, capabilities=[${c.identity.capabilities.join(', ')}]` : ''}` +
    `${skills.length ? `, role_components=[${skills.join(', ')}]` : ''}`
  );
}

/**
 * The assigner's one question, after upstream's build_assignment_prompt:
 * the task, the agents to choose from with their scores, the criteria, and the JSON to answer with.
 */
export function buildAssignerPrompt(input: AssignerPromptInput, tradeoffNames: ReadonlyMap<string, string>): string {
  const { task } = input;
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '(none)');
  return [
    ...(input.assigner ? [identitySection(input.assigner), ''] : []),
    'You are an agent assignment system. Given a task and available agents, select the best agent and configure execution parameters.',
    '',
    '## Task',
    `- **ID:** ${task.id}`,
    `- **Title:** ${task.title}`,
    `- **Description:** ${task.description.trim() || '(no description)'}`,
    `- **Tags:** ${list(task.tags)}`,
    `- **Dependencies:** ${list(task.after)}`,
    '',
    '## Available Agents',
    '',
    ...input.candidates.map((c) => catalogLine(c, tradeoffNames.get(c.identity.tradeoff_id) ?? null)),
    '',
    '## Decision Criteria',
    '',
    "1. **Role fit**: Agent's role skills should overlap with task requirements.",
    "2. **Tradeoff fit**: Agent's operational style should match task nature (Careful for correctness-critical, Fast for routine, Thorough for complex).",
    '3. **Performance**: Prefer agents with higher avg_score on similar tasks.',
    '4. **Capabilities**: Match agent capabilities to task tags.',
    '5. **Cold start**: When agents have no scores, match on role and spread work across untested agents.',
    '',
    '## exec_mode Selection',
    `(executor: ${input.executorType})`,
    '- **full**: Modifies files (implementation, debugging, refactoring, test writing). Default if unsure.',
    '- **light**: Read-only file access (research, review, exploration).',
    '- **bare**: Pure reasoning, synthesis, no file access needed.',
    '',
    '## context_scope Selection',
    '- **clean**: Self-contained computation/writing, no workgraph interaction needed.',
    '- **task**: Standard implementation (default if unsure).',
    '- **graph**: Integration tasks spanning multiple components (3+ dependencies).',
    '- **full**: Meta-tasks about the workgraph itself.',
    '',
    '## Response',
    '',
    'Respond with ONLY a JSON object (no markdown fences, no commentary):',
    '',
    '{',
    '  "agent_hash": "<hash prefix of selected agent>",',
    '  "exec_mode": "<full|light|bare>",',
    '  "context_scope": "<clean|task|graph|full>",',
    '  "reason": "<one-sentence explanation>"',
    '}',
    '',
    'Always pick the closest match — never fail to assign.',
    '',
  ].join('\n');
}

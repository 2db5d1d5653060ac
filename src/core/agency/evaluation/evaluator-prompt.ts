import { EVAL_DIMENSIONS, shortHash, type EvalDimension } from '../../../shared/agency';
import type { JsonValue, Task } from '../../../shared/task';
import { identitySection, type ResolvedIdentity } from '../../executors/identity-prompt';

/** Upstream caps the diff an evaluator reads at 30,000 bytes (MAX_DIFF_BYTES); the log and texts are capped too. */
const MAX_DIFF_CHARS = 30_000;
const MAX_LOG_ENTRIES = 60;
const MAX_TEXT = 2_000;
const MAX_DOWNSTREAM_TEXT = 120;

export interface EvaluatorPromptInput {
  task: Task;
  /** Who did the work. */
  worker: ResolvedIdentity | null;
  /** The evaluator's own identity (the Default Evaluator after `wg agency init`). */
  evaluator: ResolvedIdentity | null;
  /** What the work changed in the repository, when it can be told. */
  diff: string | null;
  /** The tasks waiting on this one. */
  downstream: ReadonlyArray<Pick<Task, 'id' | 'title' | 'status' | 'description'>>;
}

/** Each dimension as the evaluator is asked to judge it, with its weight in the overall score (upstream's, plus intent fidelity). */
const DIMENSION_GUIDE: Record<EvalDimension, { weight: number; question: string }> = {
  correctness: { weight: 25, question: 'Does the output match the desired outcome? Is it functionally correct; would its checks pass?' },
  completeness: { weight: 20, question: 'Were all aspects of the task addressed, or are pieces, edge cases or deliverables missing?' },
  intent_fidelity: { weight: 10, question: 'Does the work do what the task actually asked for, rather than a different or easier goal?' },
  efficiency: { weight: 10, question: 'Was the work done without unnecessary steps or wasted effort, in an appropriate scope?' },
  style_adherence: {
    weight: 10,
    question: "Does it follow the project's conventions and the agent's tradeoffs (its non-negotiable constraints honoured)?",
  },
  downstream_usability: {
    weight: 10,
    question: 'Can the tasks that depend on it use the output without rework (clean interfaces, named artifacts, context handed off)?',
  },
  coordination_overhead: {
    weight: 10,
    question:
      'Did the agent work without creating work for others (no ambiguous state, no manual cleanup, a clear log)? Low overhead = high score.',
  },
  blocking_impact: {
    weight: 5,
    question: 'Was it done in a time proportionate to its scope, without holding up downstream work needlessly?',
  },
};

function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function renderValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Upstream's skills and verify (kept in extra): the evaluator judges correctness against the criteria the agent was given. */
function definitionExtras(task: Task): string[] {
  const lines: string[] = [];
  const skills = Array.isArray(task.extra.skills) ? task.extra.skills.filter((s): s is string => typeof s === 'string') : [];
  if (skills.length > 0) lines.push('**Required Skills:**', ...skills.map((s) => `- ${s}`), '');
  const verify = task.extra.verify;
  if (typeof verify === 'string' && verify.trim() !== '') lines.push('**Verification Criteria:**', clip(verify.trim()), '');
  return lines;
}

function workerSection(worker: ResolvedIdentity | null): string[] {
  if (!worker) return ['## Agent Identity', '', '*No agent identity was assigned.*', ''];
  const { identity, role, tradeoff, outcome } = worker;
  const lines = ['## Agent Identity', '', `**Agent:** ${identity.name} (${shortHash(identity.id)})`, ''];
  if (role)
    lines.push(
      `**Role:** ${role.name} (${shortHash(role.id)})`,
      role.description,
      '',
      `**Desired Outcome:** ${outcome?.name ?? role.outcome}`,
      '',
    );
  if (tradeoff) {
    lines.push(`**Tradeoff:** ${tradeoff.name} (${shortHash(tradeoff.id)})`, tradeoff.description, '');
    if (tradeoff.acceptable.length > 0) lines.push('**Acceptable Trade-offs:**', ...tradeoff.acceptable.map((t) => `- ${t}`), '');
    if (tradeoff.unacceptable.length > 0) lines.push('**Non-negotiable Constraints:**', ...tradeoff.unacceptable.map((t) => `- ${t}`), '');
  }
  return lines;
}

function workSection(task: Task, diff: string | null): string[] {
  const lines = ['## Task Artifacts', ''];
  lines.push(...(task.artifacts.length > 0 ? task.artifacts.map((a) => `- \`${a}\``) : ['*No artifacts were recorded.*']), '');
  const results = Object.entries(task.results);
  if (results.length > 0) lines.push('## Task Results', '', ...results.map(([k, v]) => `- ${k}: ${clip(renderValue(v))}`), '');
  if (diff) {
    const shown =
      diff.length > MAX_DIFF_CHARS
        ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated at ${MAX_DIFF_CHARS} of ${diff.length} characters)`
        : diff;
    lines.push('## Code Changes', '', '```diff', shown.trimEnd(), '```', '');
  }
  const log = task.log.slice(-MAX_LOG_ENTRIES);
  lines.push('## Task Log', '');
  if (task.log.length > log.length) lines.push(`- (${task.log.length - log.length} earlier entries omitted)`);
  lines.push(...(log.length > 0 ? log.map((e) => `- [${e.timestamp}] (${e.actor}): ${clip(e.message)}`) : ['*No log entries.*']), '');
  if (task.started_at || task.completed_at) {
    lines.push(
      '## Timing',
      '',
      ...(task.started_at ? [`- Started: ${task.started_at}`] : []),
      ...(task.completed_at ? [`- Completed: ${task.completed_at}`] : []),
      '',
    );
  }
  return lines;
}

function downstreamSection(downstream: EvaluatorPromptInput['downstream']): string[] {
  if (downstream.length === 0) {
    return [
      'No tasks depend on this one: score the organizational dimensions on general output quality (self-contained, documented, ready for future consumers); 0.7 when there is too little signal.',
      '',
    ];
  }
  return [
    '## Downstream Tasks',
    '',
    "These tasks depend on this task's output. Consider whether it is usable by them without rework.",
    '',
    ...downstream.map(
      (d) =>
        `- **${d.title}** (${d.id}, ${d.status})${d.description.trim() ? ` — ${clip(d.description.trim().replace(/\s+/g, ' '), MAX_DOWNSTREAM_TEXT)}` : ''}`,
    ),
    '',
  ];
}

/**
 * The evaluator's prompt, after upstream's render_evaluator_prompt: the task, who did it, what it
 * produced (artifacts, results, the diff, the log) and who waits for it; then the eight dimensions
 * seed 004 shows and the JSON to answer with. No tools are given: it judges what it is shown.
 */
export function buildEvaluatorPrompt(input: EvaluatorPromptInput): string {
  const { task } = input;
  const head = input.evaluator
    ? [identitySection(input.evaluator), '']
    : ['# Evaluator Instructions', '', 'You are an evaluator assessing the quality of work performed by an AI agent.'];
  const lines = [
    ...head,
    'Review the task definition, the agent identity that was used, the produced artifacts and changes, and the task log.',
    'Then produce a JSON evaluation. Be calibrated: most competent work scores 0.6–0.8.',
    '',
    '## Task Definition',
    '',
    `**Title:** ${task.title} (${task.id})`,
    '',
    ...(task.description.trim() ? ['**Description:**', clip(task.description.trim(), 8_000), ''] : []),
    ...(task.tags.length > 0 ? [`**Tags:** ${task.tags.join(', ')}`, ''] : []),
    ...definitionExtras(task),
    ...(task.rescue_count > 0 && task.evaluation?.notes
      ? [
          `This is attempt ${task.rescue_count + 1}; the previous evaluation (score ${task.evaluation.score}) said:`,
          clip(task.evaluation.notes),
          '',
        ]
      : []),
    ...workerSection(input.worker),
    ...workSection(task, input.diff),
    ...downstreamSection(input.downstream),
    '## Evaluation Criteria',
    '',
    'Score each dimension from 0.0 to 1.0:',
    '',
    ...EVAL_DIMENSIONS.map((d) => `- **${d}** (weight ${DIMENSION_GUIDE[d].weight}%): ${DIMENSION_GUIDE[d].question}`),
    '',
    'The overall **score** is the weighted average of the dimensions.',
    '',
    '## Required Output',
    '',
    'Respond with only a JSON object (no markdown fences, no commentary):',
    '',
    JSON.stringify(
      {
        score: '<0.0-1.0>',
        dimensions: Object.fromEntries(EVAL_DIMENSIONS.map((d) => [d, '<0.0-1.0>'])),
        notes: '<strengths, weaknesses, and what to fix; the agent reads this on a retry>',
      },
      null,
      2,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

import type { JsonValue, LogEntry, Task } from '../../shared/task';

/** Enough context to pick up the thread, without pasting whole histories into every prompt. */
const MAX_LOG_ENTRIES = 20;
const MAX_TEXT = 2000;

export interface PromptInput {
  task: Task;
  /** The tasks listed in `task.after`, as the coordinator read them. */
  dependencies: readonly Task[];
  /**
   * How the agent reports: with `wg` (default), or, on an agent daemon's machine where no `wg`
   * reaches this project, by its final answer and exit status alone.
   */
  report?: 'wg' | 'exit-status';
}

/** The prompt an agent starts with: the task, what its dependencies left behind, how to report. */
export function buildPrompt({ task, dependencies, report = 'wg' }: PromptInput): string {
  const reporting = report === 'wg' ? reportingSection(task.id) : EXIT_STATUS_REPORTING;
  const sections = [taskSection(task), dependencySection(dependencies), previousAttemptSection(task), reporting];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function taskSection(task: Task): string {
  const lines = [`# Task ${task.id}: ${task.title}`];
  if (task.description.trim()) lines.push('', task.description.trim());
  if (task.tags.length > 0) lines.push('', `Tags: ${task.tags.join(', ')}`);
  return lines.join('\n');
}

function dependencySection(dependencies: readonly Task[]): string {
  if (dependencies.length === 0) return '';
  const parts = ['## What the tasks before this one left', 'These tasks finished before yours; build on their work.'];
  for (const dep of dependencies) {
    parts.push('', `### ${dep.id}: ${dep.title} (${dep.status})`);
    if (dep.description.trim()) parts.push(clip(dep.description.trim()));
    parts.push(...producedLines(dep));
  }
  return parts.join('\n');
}

function producedLines(task: Task): string[] {
  const lines: string[] = [];
  if (task.artifacts.length > 0) lines.push('Artifacts:', ...task.artifacts.map((a) => `- ${a}`));
  const results = Object.entries(task.results);
  if (results.length > 0) lines.push('Results:', ...results.map(([key, value]) => `- ${key}: ${clip(renderJson(value))}`));
  if (task.log.length > 0) lines.push('Log:', ...logLines(task.log));
  return lines;
}

/** On a retry the agent should know what the last attempt did and why it stopped. */
function previousAttemptSection(task: Task): string {
  if (task.retry_count === 0 && task.failure_reason === null) return '';
  const lines = [`## Earlier attempts (${task.retry_count} so far)`];
  if (task.failure_reason) lines.push(`Last failure: ${clip(task.failure_reason)}`);
  if (task.artifacts.length > 0) lines.push('Artifacts recorded so far:', ...task.artifacts.map((a) => `- ${a}`));
  if (task.log.length > 0) lines.push('Log so far:', ...logLines(task.log));
  return lines.join('\n');
}

function reportingSection(id: string): string {
  return [
    '## How to report',
    'You run unattended; nobody reads your chat. Report through the `wg` command (already on PATH;',
    'WG_TASK_ID, WG_AGENT_ID, WG_DIR, WG_API_URL and WG_API_TOKEN are set for you):',
    `- \`wg log ${id} "what you did or found"\` — progress notes, as you go`,
    `- \`wg artifact ${id} <path>\` — each file you produced or changed that matters`,
    `- \`wg done ${id}\` — when the task is complete`,
    `- \`wg fail ${id} --reason "why"\` — when you cannot complete it`,
    'Finish with exactly one of `wg done` or `wg fail`.',
  ].join('\n');
}

const EXIT_STATUS_REPORTING = [
  '## How to report',
  'You run unattended on an agent machine; nobody reads your chat. Work in this repository.',
  'Your final message is recorded as the result of the task, and your exit status says whether it succeeded:',
  'finish normally when the task is complete; when you cannot complete it, say why in your final message.',
].join('\n');

function logLines(log: readonly LogEntry[]): string[] {
  const recent = log.slice(-MAX_LOG_ENTRIES);
  const skipped = log.length - recent.length;
  const lines = recent.map((entry) => `- [${entry.timestamp} ${entry.actor}] ${clip(entry.message)}`);
  return skipped > 0 ? [`- (${skipped} earlier entries omitted)`, ...lines] : lines;
}

function renderJson(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}

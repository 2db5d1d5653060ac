import type { RunEvent } from '../../../shared/run-event';
import type { Task } from '../../../shared/task';

/** The tail of the run is what tells whether it finished; older output only costs tokens. */
const MAX_EVENTS = 40;
const MAX_EVENT_TEXT = 600;
const MAX_LOG_ENTRIES = 10;

/** Asks a small model what became of a task whose agent died without reporting. */
export function buildTriagePrompt(task: Task, lastEvents: readonly RunEvent[]): string {
  const events = lastEvents.slice(-MAX_EVENTS);
  const log = task.log.slice(-MAX_LOG_ENTRIES);
  return [
    'An AI coding agent was working on the task below. Its process is gone (or it stopped sending',
    'heartbeats) and it never reported `wg done` or `wg fail`. Judge from its last output what to do.',
    '',
    `Task ${task.id}: ${task.title}`,
    `Status: ${task.status}; attempts so far: ${task.retry_count + 1}`,
    task.description.trim() ? `Description:\n${clip(task.description.trim())}` : 'Description: (none)',
    '',
    'Task log (most recent last):',
    ...(log.length > 0 ? log.map((e) => `- [${e.timestamp} ${e.actor}] ${clip(e.message)}`) : ['(empty)']),
    '',
    `The agent's last output (${events.length} of ${lastEvents.length} events, oldest first):`,
    ...(events.length > 0 ? events.map(describeEvent) : ['(no output at all)']),
    '',
    'Answer with exactly one word:',
    '- done: the work is complete and only the report is missing; the task will be marked done.',
    '- running: the work is still progressing elsewhere; leave the task alone for now.',
    '- restart: the work is unfinished or broken; the task will be run again.',
    'Or answer with a JSON object: {"verdict": "done" | "running" | "restart", "reason": "one sentence"}.',
    'When unsure, answer restart.',
  ].join('\n');
}

function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'session':
      return `- session ${event.session_id}${event.model ? ` (${event.model})` : ''}`;
    case 'text':
      return `- assistant: ${clip(event.text)}`;
    case 'thinking':
      return `- thinking: ${clip(event.text)}`;
    case 'tool_use':
      return `- tool call ${event.name}: ${clip(JSON.stringify(event.input) ?? '')}`;
    case 'tool_result':
      return `- tool result${event.is_error ? ' (error)' : ''}: ${clip(event.output)}`;
    case 'result':
      return `- final result${event.is_error ? ' (error)' : ''}: ${clip(event.text ?? '')}`;
    case 'stderr':
      return `- stderr: ${clip(event.text)}`;
    case 'raw':
      return `- output: ${clip(event.text)}`;
  }
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_EVENT_TEXT ? `${flat.slice(0, MAX_EVENT_TEXT)}…` : flat;
}

import type { CheckpointResult, ExecResult, NextTaskResult, TaskCandidate } from '../shared/agent-loop';
import { shortHash } from '../shared/agency';

/** Upstream's words for `wg next`, `wg checkpoint` and `wg exec`. */

function candidateLines(c: TaskCandidate): string[] {
  const hours = c.hours !== null ? ` (${c.hours}h)` : '';
  const lines = [`  ${c.id} - ${c.title}${hours}${c.inputs_available ? '' : ' [waiting for inputs]'}`, `    Score: ${c.score}`];
  if (c.matched_skills.length > 0) lines.push(`    Matched: ${c.matched_skills.join(', ')}`);
  if (c.missing_skills.length > 0) lines.push(`    Missing: ${c.missing_skills.join(', ')}`);
  return lines;
}

export function nextText(r: NextTaskResult): string {
  const lines = [`Next task for: ${r.agent_name} (${shortHash(r.agent_id)})`];
  if (r.agent_capabilities.length > 0) lines.push(`Capabilities: ${r.agent_capabilities.join(', ')}`);
  lines.push('');
  if (!r.recommended) return [...lines, 'No suitable tasks available.', '', 'The agent should sleep and retry later.'].join('\n');
  lines.push('Recommended:', ...candidateLines(r.recommended));
  if (r.alternatives.length > 0) lines.push('', 'Alternatives:', ...r.alternatives.flatMap(candidateLines));
  return lines.join('\n');
}

const TYPE_NAMES = { explicit: 'Explicit', auto: 'Auto' } as const;

export function checkpointText(r: CheckpointResult): string {
  if ('saved' in r) return `Checkpoint saved for task '${r.saved.task_id}' (agent: ${r.saved.agent_id})\n  File: ${r.file}`;
  if (r.checkpoints.length === 0) {
    return [`No checkpoints found for agent '${r.agent_id}'`, ...(r.task_id ? [`  (filtered by task: ${r.task_id})`] : [])].join('\n');
  }
  return [
    `Checkpoints for agent '${r.agent_id}':`,
    ...r.checkpoints.flatMap((c) => [
      `  [${c.timestamp}] ${c.summary} (task: ${c.task_id}, type: ${TYPE_NAMES[c.type]})`,
      ...(c.files_modified.length > 0 ? [`    files: ${c.files_modified.join(', ')}`] : []),
    ]),
  ].join('\n');
}

export function execText(r: ExecResult): string {
  switch (r.kind) {
    case 'set':
      return `Set exec command for '${r.task}': ${r.command}`;
    case 'cleared':
      return r.had_command ? `Cleared exec command for '${r.task}'` : `Task '${r.task}' has no exec command to clear`;
    case 'shell-dry-run':
      return `Would execute for task '${r.task}':\n  Command: ${r.command}\n  Status: ${r.status} -> InProgress -> Done/Failed`;
    case 'shell': {
      const lines = [...(r.claimed ? [`Claimed task '${r.task.id}' for execution`] : []), `Executing: ${r.command}`];
      if (r.stdout !== '') lines.push(r.stdout.replace(/\n$/, ''));
      lines.push(r.ok ? `Task '${r.task.id}' completed successfully` : `Task '${r.task.id}' failed with exit code ${r.exit_code}`);
      return lines.join('\n');
    }
    case 'session-dry-run':
      return [
        '=== Environment Variables ===',
        '',
        ...Object.entries(r.env).map(([k, v]) => `  ${k}=${v}`),
        '',
        `=== Assembled Prompt (${Buffer.byteLength(r.prompt)} bytes) ===`,
        '',
        r.prompt.replace(/\n$/, ''),
      ].join('\n');
    case 'session':
      return `Prepared an interactive session for '${r.task}' (prompt: ${r.prompt_file})`;
  }
}

import type { LaunchContext, LaunchSpec } from './launch';
import { commandFrom, type HostEnv } from './host-env';
import { claudeHookArgs } from '../messages/delivery-hooks';

/** Flags every Claude Code run gets: headless, one JSON event a line (--verbose is required for stream-json with --print). */
const CLAUDE_STREAM_ARGS = ['--print', '--output-format', 'stream-json', '--verbose'] as const;

/**
 * Claude Code's own worktree tools, off in every task run (the CLI's flag and tool names as of 2.1.330):
 * EnterWorktree makes a second worktree under `.claude/worktrees/` (in the person's checkout, not the
 * run's), locks it and moves the session there, so its commits never reach the run's branch and
 * `wg done` finds nothing to merge. A run already has the folder it is to work in.
 */
export const NO_WORKTREE_TOOLS = ['--disallowedTools', 'EnterWorktree,ExitWorktree'] as const;

function claudeCommand(hostEnv: HostEnv): string {
  return commandFrom(hostEnv, 'WG_CLAUDE_BIN', 'claude');
}

/**
 * A one-shot question to Claude Code (triage, the assigner, the evaluator): print mode, no tools at
 * all (`--tools ""`, so nothing waits for a permission either), no session left behind, the prompt on
 * stdin, the answer in the stream's result event.
 */
export function buildOneShotClaudeLaunch(input: { prompt: string; modelId: string | null; cwd: string; hostEnv: HostEnv }): LaunchSpec {
  const args: string[] = [...CLAUDE_STREAM_ARGS];
  if (input.modelId) args.push('--model', input.modelId);
  args.push('--tools', '', '--no-session-persistence');
  return {
    kind: 'process',
    command: claudeCommand(input.hostEnv),
    args,
    env: {},
    stdin: input.prompt,
    cwd: input.cwd,
    output: 'claude-stream-json',
  };
}

/**
 * `claude --print --output-format stream-json --verbose [--model ID] --dangerously-skip-permissions
 * --disallowedTools EnterWorktree,ExitWorktree [--resume SESSION]`, prompt on stdin (no argv size limit, not visible in `ps`). Agents run
 * unattended, so nothing may wait for a permission prompt. As root Claude Code accepts
 * --dangerously-skip-permissions only with IS_SANDBOX=1 in the environment: the coordinator's own,
 * or given here where the person said this machine is a sandbox (agent.sandbox).
 */
export function buildClaudeLaunch(ctx: LaunchContext, hostEnv: HostEnv): LaunchSpec {
  const args: string[] = [...CLAUDE_STREAM_ARGS];
  if (ctx.model.id) args.push('--model', ctx.model.id);
  args.push('--dangerously-skip-permissions', ...NO_WORKTREE_TOOLS);
  if (ctx.resumeSessionId) args.push('--resume', ctx.resumeSessionId);
  // Messages sent to the task reach the agent after each tool call and before it stops.
  if (ctx.messageInbox) args.push(...claudeHookArgs(ctx.messageInbox));
  const env: Record<string, string> = ctx.settings.agent.sandbox ? { IS_SANDBOX: '1' } : {};
  return { kind: 'process', command: claudeCommand(hostEnv), args, env, stdin: ctx.prompt, cwd: ctx.cwd, output: 'claude-stream-json' };
}

/**
 * The coordinator agent's turn (a chat message): Claude Code as a task's run gets it (print mode, stream-json,
 * unattended, no worktree tools), in the project folder, its conversation going on from `resumeSessionId`; none: a new
 * session. The prompt on stdin.
 */
export function buildChatClaudeLaunch(input: {
  prompt: string;
  modelId: string | null;
  cwd: string;
  resumeSessionId: string | null;
  sandbox: boolean;
  hostEnv: HostEnv;
}): LaunchSpec {
  const args: string[] = [...CLAUDE_STREAM_ARGS];
  if (input.modelId) args.push('--model', input.modelId);
  args.push('--dangerously-skip-permissions', ...NO_WORKTREE_TOOLS);
  if (input.resumeSessionId) args.push('--resume', input.resumeSessionId);
  const env: Record<string, string> = input.sandbox ? { IS_SANDBOX: '1' } : {};
  return {
    kind: 'process',
    command: claudeCommand(input.hostEnv),
    args,
    env,
    stdin: input.prompt,
    cwd: input.cwd,
    output: 'claude-stream-json',
  };
}

import { join } from 'node:path';

/**
 * How a message reaches an agent while it works. Upstream tells Claude Code and Codex agents to poll
 * (`wg msg read` first, at breakpoints and before `wg done`: its MessageAdapters for both write a
 * notification file and report "no realtime delivery"), and only its own native executor drains the
 * queue at every turn boundary (its `WorkgraphInbox`). Here Claude Code runs drain it at every turn
 * boundary too, through its hooks, and codex runs as soon as a message is sent:
 *
 * - Claude Code, PostToolUse: after each tool call the hook runs `wg msg hook post-tool-use`, which
 *   reads the agent's unread messages (marking them read) and hands them back as `additionalContext`,
 *   which Claude Code adds to the conversation as a system message before the model's next request.
 *   A person's correction lands within one tool call.
 * - Claude Code, Stop: when the agent is about to end, unread messages block the stop (`decision:
 *   block`) and become its next prompt, so a message sent during its last answer is not lost.
 * - Codex: a run is `codex app-server` held by `wg codex-run` (executors/codex-app-server/codex-run.ts),
 *   which watches the marker below and hands each message to the turn at work with `turn/steer`: codex
 *   adds it to the model's next request, even while a command runs on past the 10 s codex waits for it
 *   (codex's own PostToolUse hook runs only once a command has exited, and `codex exec` takes no input
 *   while it works). When the turn ends, unread messages start another turn, as the Stop hook does.
 *
 * Both read the store through the run's own `wg`, in the run, so delivery needs nothing of whoever
 * launched the run (the launcher, an app that quit and left its agents running) and survives a
 * coordinator restart.
 *
 * A PostToolUse hook starting `wg` (about a second of Node start-up on a loaded machine) after every
 * tool call would slow every agent, so `wg msg send` also creates a marker file for the task, and
 * the hook starts `wg` only when that file exists (codex's holder watches for it); each reader removes
 * the marker before it reads, so a message sent during the read leaves a new marker. The Stop hook
 * always reads, as does codex's holder at a turn's end.
 */

export type HookEvent = 'post-tool-use' | 'stop';

/** The marker a task's `wg msg send` leaves for its agent's hook: `<service folder>/inbox/<task id>` (task ids are one path part). */
export function inboxMarker(serviceDir: string, taskId: string): string {
  return join(serviceDir, 'inbox', taskId);
}

/** A value as one POSIX shell word. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The hook's command line: `$WG_BIN` is the run's own `wg` (agent-env.ts), in the hook's environment as in the agent's. */
function hookCommand(event: HookEvent, marker: string): string {
  const run = `"$WG_BIN" msg hook ${event}`;
  return event === 'post-tool-use' ? `[ ! -e ${shellWord(marker)} ] || ${run}` : run;
}

/** Claude Code: `--settings` with the two hooks (merged with the user's own settings, which it leaves alone). */
export function claudeHookArgs(marker: string): string[] {
  const hook = (event: HookEvent) => [{ hooks: [{ type: 'command', command: hookCommand(event, marker) }] }];
  return ['--settings', JSON.stringify({ hooks: { PostToolUse: hook('post-tool-use'), Stop: hook('stop') } })];
}

import { join } from 'node:path';

/**
 * How a message reaches an agent while it works. Upstream tells Claude Code and Codex agents to poll
 * (`wg msg read` first, at breakpoints and before `wg done`: its MessageAdapters for both write a
 * notification file and report "no realtime delivery"), and only its own native executor drains the
 * queue at every turn boundary (its `WorkgraphInbox`). Here Claude Code and Codex drain it at
 * every turn boundary too, through their own hooks, which both CLIs offer in the same shape:
 *
 * - PostToolUse: after each tool call the hook runs `wg msg hook post-tool-use`, which reads the
 *   agent's unread messages (marking them read) and hands them back as `additionalContext`: Claude
 *   Code adds it to the conversation as a system message, Codex as a developer message, both before
 *   the model's next request. A person's correction lands within one tool call. Codex 0.169 runs it
 *   only once a command has exited: one that outlasts the 10 s it waits before telling the model the
 *   command still runs hands nothing over then, nor at the model's polls that find it running; the
 *   poll that sees it exit, or the next command that ends, does. `codex exec` takes no input while it
 *   works; `codex app-server`'s `turn/steer` reaches the model's next request (at that 10 s answer
 *   too), but needs a process holding the app server's stdin for the run's life.
 * - Stop: when the agent is about to end, unread messages block the stop (`decision: block`) and
 *   become its next prompt, so a message sent during its last answer is not lost.
 *
 * Why hooks rather than writing to the agent's stdin (Claude Code's `--input-format stream-json`,
 * Codex's app-server `turn/steer`): a hook is a process the agent CLI starts itself and that reads the
 * store, so delivery needs nothing of whoever launched the run (the launcher, an app that quit
 * and left its agents running), survives a coordinator restart, and is one mechanism for both CLIs.
 *
 * A PostToolUse hook starting `wg` (about a second of Node start-up on a loaded machine) after every
 * tool call would slow every agent, so `wg msg send` also creates a marker file for the task, and
 * the hook starts `wg` only when that file exists; `wg msg hook` removes the marker before it reads,
 * so a message sent during the read leaves a new marker. The Stop hook always reads.
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

/**
 * Codex: the hooks as `-c` config overrides (a layer of their own; the user's config.toml is left
 * alone). Codex runs a hook only once a person has trusted its exact definition in `/hooks`, which an
 * unattended run cannot do, so runs pass `--dangerously-bypass-hook-trust`: agents already run with
 * `--dangerously-bypass-approvals-and-sandbox`, and the hooks are this app's own two commands. (It
 * also runs hooks of the user's own codex config that were never reviewed.)
 */
export function codexHookArgs(marker: string): string[] {
  const toml = (event: HookEvent) => `[{ hooks = [{ type = "command", command = ${JSON.stringify(hookCommand(event, marker))} }] }]`;
  return ['--dangerously-bypass-hook-trust', '-c', `hooks.PostToolUse=${toml('post-tool-use')}`, '-c', `hooks.Stop=${toml('stop')}`];
}

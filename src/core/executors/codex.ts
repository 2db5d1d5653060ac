import type { LaunchContext, LaunchSpec } from './launch';
import { commandFrom, type HostEnv } from './host-env';
import { codexProviderArgs } from './providers';
import { codexHookArgs } from '../messages/delivery-hooks';

/** Linux caps one argv string at 128 KiB; longer prompts go through stdin instead. */
const MAX_PROMPT_ARG_BYTES = 100 * 1024;

/**
 * `codex exec --json [--model ID] [resume SESSION] -- PROMPT`. Flags checked against
 * openai/codex's code: `--json` (alias `--experimental-json`, "Print events to
 * stdout as JSONL"), `--skip-git-repo-check` (projects need not be git repos), the shared
 * `--model`/`-m` and `--dangerously-bypass-approvals-and-sandbox` (exec otherwise runs read-only
 * and could not run `wg`, nor reach WG_API_URL), subcommand `resume <SESSION_ID> [PROMPT]`, and
 * PROMPT `-` meaning "read from stdin". The `--` before the prompt follows the official TypeScript
 * SDK (sdk/typescript/src/exec.ts) so a prompt starting with `-` is not taken for a flag.
 *
 * codex 0.169 runs its shell tool through `bash -lc`, and a login shell resets PATH from
 * /etc/profile, losing this app's `wg` (every call ended "command not found"): `-c
 * allow_login_shell=false` keeps the agent's environment (observed: `bash -c`, PATH intact); the
 * prompt gives the absolute path too, and WG_BIN, for any shell the model starts itself. A model
 * whose provider is OpenAI, OpenRouter or Ollama, or that names an endpoint of its own, gets that endpoint as codex's
 * model provider; provider `codex` leaves the person's own codex config in charge.
 */
export function buildCodexLaunch(ctx: LaunchContext, hostEnv: HostEnv): LaunchSpec {
  const args = ['exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-c', 'allow_login_shell=false'];
  if (ctx.model.provider) args.push(...codexProviderArgs(ctx.model.provider, hostEnv, ctx.model.endpoint));
  if (ctx.model.id) args.push('--model', ctx.model.id);
  // Messages sent to the task reach the agent after each tool call and before it stops.
  if (ctx.messageInbox) args.push(...codexHookArgs(ctx.messageInbox));
  if (ctx.resumeSessionId) args.push('resume', ctx.resumeSessionId);
  const viaStdin = Buffer.byteLength(ctx.prompt, 'utf8') > MAX_PROMPT_ARG_BYTES;
  args.push(...(viaStdin ? ['-'] : ['--', ctx.prompt]));
  return {
    kind: 'process',
    command: commandFrom(hostEnv, 'WG_CODEX_BIN', 'codex'),
    args,
    env: {},
    stdin: viaStdin ? ctx.prompt : null,
    cwd: ctx.cwd,
    output: 'codex-json',
  };
}

import type { LaunchContext, LaunchSpec } from './launch';
import { commandFrom, type HostEnv } from './host-env';

/** Linux caps one argv string at 128 KiB; longer prompts go through stdin instead. */
const MAX_PROMPT_ARG_BYTES = 100 * 1024;

/**
 * `codex exec --json [--model ID] [resume SESSION] -- PROMPT`. Flags checked against
 * openai/codex codex-rs/exec/src/cli.rs: `--json` (alias `--experimental-json`, "Print events to
 * stdout as JSONL"), `--skip-git-repo-check` (projects need not be git repos), the shared
 * `--model`/`-m` and `--dangerously-bypass-approvals-and-sandbox` (exec otherwise runs read-only
 * and could not run `wg`, nor reach WG_API_URL), subcommand `resume <SESSION_ID> [PROMPT]`, and
 * PROMPT `-` meaning "read from stdin". The `--` before the prompt follows the official TypeScript
 * SDK (sdk/typescript/src/exec.ts) so a prompt starting with `-` is not taken for a flag.
 */
export function buildCodexLaunch(ctx: LaunchContext, hostEnv: HostEnv): LaunchSpec {
  const args = ['exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox'];
  if (ctx.model.id) args.push('--model', ctx.model.id);
  if (ctx.resumeSessionId) args.push('resume', ctx.resumeSessionId);
  const viaStdin = Buffer.byteLength(ctx.prompt, 'utf8') > MAX_PROMPT_ARG_BYTES;
  args.push(...(viaStdin ? ['-'] : ['--', ctx.prompt]));
  return {
    kind: 'process', command: commandFrom(hostEnv, 'WG_CODEX_BIN', 'codex'), args, env: {},
    stdin: viaStdin ? ctx.prompt : null, cwd: ctx.cwd, output: 'codex-json',
  };
}

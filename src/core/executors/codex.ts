import type { LaunchContext, LaunchSpec } from './launch';
import { commandFrom, type HostEnv } from './host-env';
import { codexProviderArgs } from './providers';

/**
 * `wg codex-run [--model ID] [--resume SESSION] -- CODEX [-c …]`, the prompt on stdin: codex run through its app
 * server (`codex app-server`), held for the run's life by this app's own `wg` inside the run
 * (codex-app-server/codex-run.ts), which writes codex's notifications out as `codex exec --json` lines (the output
 * format stays `codex-json`) and hands the model each message sent to the task as it comes (`turn/steer`), even
 * during a long command: `codex exec` takes no input while it works, and its PostToolUse hook runs only once a
 * command has exited. The holder is the wrapper's child, in the run's process group: a stop kills it with codex.
 *
 * What `codex exec` was given, the app server is given too: no approval asked and no sandbox (as
 * `--dangerously-bypass-approvals-and-sandbox`: a run must run `wg` and reach WG_API_URL), the model, the session a
 * retry resumes (`thread/resume`). The app server checks no git repository (exec needed `--skip-git-repo-check`),
 * and a prompt of any length goes on stdin (exec took it as an argument, which Linux caps at 128 KiB).
 *
 * codex 0.169 runs its shell tool through `bash -lc`, and a login shell resets PATH from
 * /etc/profile, losing this app's `wg` (every call ended "command not found"): `-c
 * allow_login_shell=false` keeps the agent's environment (observed: `bash -c`, PATH intact); the
 * prompt gives the absolute path too, and WG_BIN, for any shell the model starts itself. A model
 * whose provider is OpenAI, OpenRouter or Ollama, or that names an endpoint of its own, gets that endpoint as codex's
 * model provider; provider `codex` leaves the person's own codex config in charge.
 */
export function buildCodexLaunch(ctx: LaunchContext, hostEnv: HostEnv): LaunchSpec {
  const codex = commandFrom(hostEnv, 'WG_CODEX_BIN', 'codex');
  const args = ['codex-run'];
  if (ctx.model.id) args.push('--model', ctx.model.id);
  if (ctx.resumeSessionId) args.push('--resume', ctx.resumeSessionId);
  args.push('--', codex, '-c', 'allow_login_shell=false');
  if (ctx.model.provider) args.push(...codexProviderArgs(ctx.model.provider, hostEnv, ctx.model.endpoint));
  return {
    kind: 'process',
    command: ctx.wgPath,
    args,
    env: {},
    stdin: ctx.prompt,
    cwd: ctx.cwd,
    output: 'codex-json',
    program: codex,
  };
}

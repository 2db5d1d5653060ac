import type { ExecutorFound } from '../../shared/config-types';
import { commandFrom, type HostEnv } from './host-env';
import { isFile, isRunnable, locateProgram } from './find-program';

/**
 * Upstream's executor_discovery (`wg executors`): the executors this app can start, whether each is usable on this
 * machine, and where its program is. Upstream's list is native, claude, codex, gemini; here it is this app's own
 * executor types: the agent CLIs by the program each starts (the same override variables the executors read), the
 * shell executor by bash, and those that start no program here (http, remote, external, manual) always usable.
 */

interface ExecutorSpec {
  name: string;
  description: string;
  /** The program it starts, and the variable that names another (WG_CLAUDE_BIN). */
  program?: { fallback: string; override?: string };
}

const EXECUTORS: readonly ExecutorSpec[] = [
  { name: 'claude', description: 'Claude CLI (Anthropic) via stream-json', program: { fallback: 'claude', override: 'WG_CLAUDE_BIN' } },
  { name: 'codex', description: 'OpenAI Codex CLI (`codex app-server`)', program: { fallback: 'codex', override: 'WG_CODEX_BIN' } },
  { name: 'amplifier', description: 'Amplifier CLI', program: { fallback: 'amplifier', override: 'WG_AMPLIFIER_BIN' } },
  { name: 'shell', description: "a task's own command line (wg add --exec), run by bash", program: { fallback: 'bash' } },
  { name: 'http', description: 'an HTTP agent service the task is POSTed to (an executor profile names its endpoint)' },
  { name: 'remote', description: 'an agent daemon on another machine (wg agentd)' },
  { name: 'external', description: 'claimed for someone outside the app, who finishes it with wg done' },
  { name: 'manual', description: 'never started automatically: a person does the task' },
];

/** Every executor, in this order, with where its program is on `env`'s PATH (upstream's discover). */
export function discoverExecutors(env: HostEnv): ExecutorFound[] {
  return EXECUTORS.map((spec) => {
    if (!spec.program) return { name: spec.name, description: spec.description, binary_path: null, available: true };
    const command = spec.program.override ? commandFrom(env, spec.program.override, spec.program.fallback) : spec.program.fallback;
    const located = locateProgram(command, env.PATH);
    // A path (WG_CLAUDE_BIN=/opt/claude) is taken as given by locateProgram: here it must be there to count.
    const found = located !== null && isFile(located) && isRunnable(located) ? located : null;
    return { name: spec.name, description: spec.description, binary_path: found, available: found !== null };
  });
}

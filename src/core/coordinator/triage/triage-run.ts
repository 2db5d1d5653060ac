import { spawn } from 'node:child_process';
import type { RunEvent } from '../../../shared/run-event';
import type { Task } from '../../../shared/task';
import type { Config } from '../config-view';
import { createOutputParser } from '../../output/index';
import { buildTriageLaunch, triageVerdictFromEvents, type TriageVerdict } from '../../triage/index';

const TRIAGE_TIMEOUT_MS = 120_000;

/**
 * Asks the triage model what became of a dead agent's task. Any trouble running it (no CLI, a
 * timeout, no answer) reads as "restart": rerunning costs tokens, a wrong "done" loses the work.
 */
export async function runTriage(input: { task: Task; lastEvents: RunEvent[]; config: Config; cwd: string; env: NodeJS.ProcessEnv }): Promise<{ verdict: TriageVerdict; note: string }> {
  const spec = buildTriageLaunch({
    task: input.task, lastEvents: input.lastEvents, settings: input.config.settings, registry: input.config.registry,
    cwd: input.cwd, hostEnv: input.env,
  });
  if (spec.kind !== 'process') return { verdict: 'restart', note: 'triage has no process to run' };
  const parser = createOutputParser(spec.output);
  const events: RunEvent[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...input.env, ...spec.env }, stdio: ['pipe', 'pipe', 'ignore'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), TRIAGE_TIMEOUT_MS);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => events.push(...parser.push(chunk)));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        events.push(...parser.end());
        if (code === 0) resolve();
        else reject(new Error(`triage exited with ${code}`));
      });
      child.stdin.end(spec.stdin ?? '');
    });
  } catch (error) {
    return { verdict: 'restart', note: `triage failed (${error instanceof Error ? error.message : String(error)})` };
  }
  return { verdict: triageVerdictFromEvents(events), note: 'triage' };
}

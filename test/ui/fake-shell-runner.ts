import { spawn, type ChildProcess } from 'node:child_process';
import type { FakeWorkgraph } from '../renderer/support/fake-workgraph';

const POLL_MS = 100;

/**
 * The test server's stand-in for the coordinator: runs ready tasks that have a shell command
 * (`exec`) with `sh -c`, streams stdout as output events and marks the task done or failed.
 * Tasks without a command are left alone, as if no agent executor were configured.
 */
export function startFakeShellRunner(fake: FakeWorkgraph, cwd: string): () => void {
  const running = new Map<string, ChildProcess>();
  const timer = setInterval(() => {
    if (fake.service.paused) return;
    for (const task of fake.tasks.values()) {
      if (!task.exec || running.has(task.id) || !fake.isReady(task)) continue;
      const agent = fake.startAgent(task.id, { executor: 'shell' });
      const child = spawn('sh', ['-c', task.exec], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      running.set(task.id, child);
      fake.updateAgent(agent.id, { pid: child.pid ?? null });
      child.stdout?.on('data', (chunk: Buffer) =>
        fake.appendOutput(
          agent.id,
          chunk
            .toString('utf8')
            .split('\n')
            .filter(Boolean)
            .map((text) => ({ type: 'text', text })),
        ),
      );
      child.stderr?.on('data', (chunk: Buffer) => fake.appendOutput(agent.id, [{ type: 'stderr', text: chunk.toString('utf8') }]));
      child.on('exit', (code) => {
        running.delete(task.id);
        const ok = code === 0;
        fake.appendOutput(agent.id, [
          { type: 'result', is_error: !ok, text: `exit ${code ?? 'signal'}`, cost_usd: 0, tokens_in: null, tokens_out: null, turns: null },
        ]);
        fake.updateAgent(agent.id, { state: ok ? 'done' : 'failed', exit_code: code, ended_at: new Date().toISOString() });
        fake.update(task.id, {
          status: ok ? 'done' : 'failed',
          completed_at: new Date().toISOString(),
          failure_reason: ok ? null : `exit code ${code ?? 'signal'}`,
          log: [
            ...(fake.tasks.get(task.id)?.log ?? []),
            { timestamp: new Date().toISOString(), actor: agent.id, message: ok ? 'command succeeded' : `command failed (${code})` },
          ],
        });
      });
    }
  }, POLL_MS);
  return () => {
    clearInterval(timer);
    for (const child of running.values()) child.kill('SIGKILL');
  };
}

import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { failureDetail, failureReason, stderrGist } from '../../../src/core/runs/rules/failure-reason';
import { postLaunch } from '../../../src/core/runs/starting/http-launch';

/** Every failure reason is one sentence a person understands; the internals go to the task's log (issue 26 item 6). */
describe('a failure reason from stderr', () => {
  it("is the one line that says what went wrong, never a stack frame, a source excerpt or node's banner", () => {
    const node = [
      '/work/app/migrate.js:3',
      "  throw new Error('disk full');",
      '  ^',
      '',
      'Error: disk full',
      '    at Object.<anonymous> (/work/app/migrate.js:3:9)',
      '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(failureReason({ code: 1, stderr_tail: node })).toBe('exit code 1: Error: disk full');
    const python = [
      'Traceback (most recent call last):',
      '  File "t.py", line 1, in <module>',
      '    int("x")',
      "ValueError: invalid literal for int() with base 10: 'x'",
    ].join('\n');
    expect(stderrGist(python)).toBe("ValueError: invalid literal for int() with base 10: 'x'");
    expect(failureReason({ code: 2, stderr_tail: 'warming up\nError: disk full\n' })).toBe('exit code 2: Error: disk full');
    // Nothing error-like: the last line.
    expect(stderrGist('step 1\nstep 2 of 3\n')).toBe('step 2 of 3');
  });

  it('keeps the rest for the task log, and nothing when the reason says it all', () => {
    expect(failureDetail({ code: 2, stderr_tail: 'warming up\nError: disk full\n' })).toBe('warming up\nError: disk full');
    expect(failureDetail({ code: 1, stderr_tail: 'Error: disk full\n' })).toBeNull();
    expect(failureDetail({ code: 1, stderr_tail: '' })).toBeNull();
  });
});

describe('an http agent service that cannot be reached', () => {
  const spec = (endpoint: string) => ({ kind: 'http' as const, endpoint, method: 'POST' as const, payload: {} });

  it('says so in words, not fetch\'s ("fetch failed", "connect ECONNREFUSED")', async () => {
    // A port just freed: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const endpoint = `http://127.0.0.1:${port}/api/task`;
    await expect(postLaunch(spec(endpoint))).rejects.toThrow(
      new Error(`the agent service at ${endpoint} could not be reached: nothing answers there (connection refused)`),
    );
  });

  it('names a service that does not answer in time', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/task`;
    try {
      await expect(postLaunch(spec(endpoint), 300)).rejects.toThrow(
        new Error(`the agent service at ${endpoint} could not be reached: no answer in 0.3 s`),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

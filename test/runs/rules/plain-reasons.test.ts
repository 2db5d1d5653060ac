import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { failureDetail, failureReason } from '../../../src/core/run-failures/failure-reason';
import { stderrGist } from '../../../src/core/run-failures/stderr-gist';
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

  // npm 11.19's and make 4.3's own words, captured from real runs; npm 6's from its lifecycle failure.
  it('is the line that says the error, never a build tool\'s footer (npm\'s "A complete log of this run…", make\'s "*** Error 1")', () => {
    const warn = 'npm warn Unknown user config "nodedir". This will stop working in the next major version of npm.';
    const missingScript = [
      warn,
      'npm error Missing script: "nope"',
      'npm error',
      'npm error To see a list of scripts, run:',
      'npm error   npm run',
      'npm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-24T00_53_33_718Z-debug-0.log',
    ].join('\n');
    expect(failureReason({ code: 1, stderr_tail: missingScript })).toBe('exit code 1: npm error Missing script: "nope"');
    const ci = [
      warn,
      'npm error code EUSAGE',
      'npm error',
      'npm error The `npm ci` command can only install with an existing package-lock.json or',
      'npm error npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or',
      'npm error later to generate a package-lock.json file, then try again.',
      'npm error',
      'npm error Clean install a project',
      'npm error',
      'npm error Usage:',
      'npm error npm ci',
      'npm error',
      'npm error   --install-links',
      'npm error     When set file: protocol dependencies will be packed and installed as',
      'npm error',
      'npm error Run "npm help ci" for more info',
      'npm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-24T00_53_59_249Z-debug-0.log',
    ].join('\n');
    expect(stderrGist(ci)).toBe(
      'npm error The `npm ci` command can only install with an existing package-lock.json or npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or later to generate a package-lock.json file, then try again.',
    );
    // The script's own error, above npm's account of which script failed.
    const workspace = [
      warn,
      'TypeError: x is not a function',
      'npm error Lifecycle script `test` failed with error:',
      'npm error code 2',
      'npm error path /tmp/w/packages/a',
      'npm error workspace a@1.0.0',
      'npm error location /tmp/w/packages/a',
      'npm error command failed',
      `npm error command sh -c node -e "console.error('TypeError: x is not a function'); process.exit(2)"`,
    ].join('\n');
    expect(stderrGist(workspace)).toBe('TypeError: x is not a function');
    const npm6 = [
      'Error: expected 200, got 500',
      'npm ERR! code ELIFECYCLE',
      'npm ERR! errno 1',
      'npm ERR! app@1.0.0 test: `node test.js`',
      'npm ERR! Exit status 1',
      'npm ERR!',
      'npm ERR! Failed at the app@1.0.0 test script.',
      'npm ERR! This is probably not a problem with npm. There is likely additional logging output above.',
      '',
      'npm ERR! A complete log of this run can be found in:',
      'npm ERR!     /root/.npm/_logs/2020-01-01T00_00_00_000Z-debug.log',
    ].join('\n');
    expect(stderrGist(npm6)).toBe('Error: expected 200, got 500');
    const make = [
      'cc1: fatal error: nofile.c: No such file or directory',
      'compilation terminated.',
      'make: *** [Makefile:2: all] Error 1',
    ].join('\n');
    expect(stderrGist(make)).toBe('cc1: fatal error: nofile.c: No such file or directory');
    // A warning only when nothing else is said.
    expect(stderrGist(`${warn}\nstep 2 of 3`)).toBe('step 2 of 3');
    expect(stderrGist(warn)).toBe(warn);
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

  it('names a port fetch refuses to connect to (it said only "the connection failed")', async () => {
    const endpoint = 'http://127.0.0.1:6000/api/task';
    await expect(postLaunch(spec(endpoint))).rejects.toThrow(
      new Error(
        `the agent service at ${endpoint} could not be reached: fetch refuses port 6000 (one of the ports browsers block): run the service on another port`,
      ),
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

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { AssignedMessage } from '../../src/shared/agent-protocol';
import { WG_BIN } from '../helpers/wg-cli';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * A job never finds its daemon's agent token: not in its own environment, not in what
 * `/proc/<pid>/environ` and `/proc/<pid>/cmdline` show of the daemon or any other process above it
 * (with the token a job could start a daemon of its own and be sent other tasks' jobs). Run as
 * root, the same with RUN_AS=nobody: the job runs as nobody, and cannot read the token file either.
 */
const coordinators: FakeCoordinator[] = [];
const scripts = mkdtempSync(join(tmpdir(), 'wg-agentd-token-'));
chmodSync(scripts, 0o755);
let n = 0;

const newToken = () => `wga_${randomBytes(20).toString('hex')}`;

/**
 * The job: says who it runs as, whether its environment holds an agent token, then walks up its
 * ancestors (the lifeline, the daemon, whatever started it) reading each one's environment and
 * command line as `/proc` shows them, counting agent tokens; and tries the token file, if named.
 */
function jobScript(tokenFile: string | null): string {
  const file = join(scripts, `job-${++n}.sh`);
  writeFileSync(
    file,
    `#!/bin/sh
# The daemon's start-up probe of the CLI.
[ "$1" = --version ] && { echo 'fake 1.0'; exit 0; }
echo "uid $(id -u)"
echo "home $HOME"
echo "own-env $(env | grep -c wga_)"
p=$PPID
while [ "$p" -gt 1 ]; do
  if environ=$( { tr '\\0' '\\n' < /proc/$p/environ; } 2>/dev/null); then read=readable; else read=unreadable; fi
  found=$(printf '%s\\n' "$environ" | grep -c wga_)
  marked=$(printf '%s\\n' "$environ" | grep -c WG_TEST_MARK)
  cmdline=$( { tr '\\0' '\\n' < /proc/$p/cmdline; } 2>/dev/null | grep -c wga_)
  echo "ancestor $p environ $read $found mark $marked cmdline $cmdline"
  p=$(sed 's/.*) //' /proc/$p/stat | cut -d' ' -f2)
done
${tokenFile ? `if cat '${tokenFile}' >/dev/null 2>&1; then echo "token-file readable"; else echo "token-file unreadable"; fi` : ''}
echo made > made-by-job.txt
${tokenFile ? 'echo "wg answered: $("$WG_BIN" log "$WG_TASK_ID" "from the job" 2>&1)"' : ''}
`,
    { mode: 0o755 },
  );
  return file;
}

function job(taskId: string): AssignedMessage {
  return {
    type: 'ticket.assigned',
    lease_id: (++n).toString(16).padStart(32, '0'),
    job_id: `agent-${n}`,
    task: { id: taskId, title: taskId, description: '', tags: [] },
    prompt: 'look around',
    repo: 'acme/app',
    role: null,
    model: null,
    timeout_s: null,
  };
}

/** Runs one job on a fresh daemon and returns what the job printed. */
async function runJob(settings: { env: Record<string, string>; flags?: string[]; repo: string; script: string }) {
  const coordinator = await FakeCoordinator.start();
  coordinators.push(coordinator);
  const daemon = startAgentd(
    `token-${n}`,
    {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: coordinator.url,
      REPO_PATHS: `acme/app=${settings.repo}`,
      CLI_COMMAND: settings.script,
      LOG_LEVEL: 'debug',
      ...settings.env,
    },
    settings.flags,
  );
  await coordinator.next('agent.register');
  const assigned = job(`job-${n}`);
  coordinator.send(assigned);
  // The job's `wg` reaches the coordinator through the relay: answered here as the coordinator would.
  void coordinator
    .next('job.op', (m) => m.lease_id === assigned.lease_id, 30_000)
    .then((op) =>
      coordinator.send({
        type: 'job.op.result',
        lease_id: op.lease_id,
        request_id: op.request_id,
        ok: false,
        error: { code: 'conflict', message: `${op.op} reached the coordinator` },
      }),
    )
    .catch(() => undefined);
  const end = await coordinator
    .next('ticket.result', (m) => m.lease_id === assigned.lease_id, 30_000)
    .catch((error: unknown) => {
      console.log(daemon.log().slice(-3000), JSON.stringify(coordinator.received.filter((m) => m.type !== 'agent.heartbeat')));
      throw error;
    });
  const lines = end.output.split('\n');
  const ancestor = (pid: number) => lines.find((line) => line.startsWith(`ancestor ${pid} `)) ?? '';
  return { daemon, end, lines, ancestor, coordinator };
}

afterAll(async () => {
  killMarked();
  for (const coordinator of coordinators) await coordinator.close();
});

describe("a job of the daemon's own user", () => {
  it('finds no agent token in the environment or command line of its daemon (given WG_AGENT_TOKEN)', async () => {
    const repo = makeRepo('wg-agentd-token-env-');
    const { daemon, lines, ancestor } = await runJob({ env: { WG_AGENT_TOKEN: newToken() }, repo, script: jobScript(null) });
    expect(lines).toContain('own-env 0');
    // It could read the daemon's environment (the test's mark is there), and no token was in it.
    expect(ancestor(daemon.pid)).toMatch(/ environ readable 0 mark 1 cmdline 0$/);
    expect(lines.filter((line) => line.startsWith('ancestor ')).every((line) => / readable 0 .* cmdline 0$|unreadable/.test(line))).toBe(
      true,
    );
  });

  it('finds none when the token was given on the command line (--token)', async () => {
    const repo = makeRepo('wg-agentd-token-flag-');
    const { daemon, lines, ancestor } = await runJob({ env: {}, flags: ['--token', newToken()], repo, script: jobScript(null) });
    expect(lines).toContain('own-env 0');
    expect(ancestor(daemon.pid)).toMatch(/ environ readable 0 mark 1 cmdline 0$/);
  });
});

describe('the token file (WG_AGENT_TOKEN_FILE) and RUN_AS are checked at start, one line each', () => {
  const refused = async (env: Record<string, string>) => {
    const result = await execa(process.execPath, [WG_BIN, 'agentd'], {
      env: { ...(process.env as Record<string, string>), WG_COORDINATOR_URL: 'http://127.0.0.1:9', REPO_PATHS: scripts, ...env },
      reject: false,
      timeout: 20_000,
    });
    return { code: result.exitCode, stderr: String(result.stderr).trim() };
  };

  it('refuses a token file others may read, and reads one only its user may', async () => {
    const file = join(scripts, 'open-token');
    writeFileSync(file, `${newToken()}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(await refused({ WG_AGENT_TOKEN_FILE: file })).toEqual({
      code: 1,
      stderr: `wg: WG_AGENT_TOKEN_FILE: ${file} may be read by other users (chmod 600 ${file})`,
    });
    expect(await refused({ WG_AGENT_TOKEN_FILE: join(scripts, 'missing') })).toEqual({
      code: 1,
      stderr: `wg: WG_AGENT_TOKEN_FILE: ${join(scripts, 'missing')} cannot be read (no such file or folder)`,
    });
  });

  it.runIf(process.getuid?.() === 0)('refuses RUN_AS naming nobody that exists, or root', async () => {
    expect(await refused({ WG_AGENT_TOKEN: newToken(), RUN_AS: 'no-such-user-here', WG_COORDINATOR_URL: 'https://127.0.0.1:9' })).toEqual({
      code: 1,
      stderr: "wg: RUN_AS: there is no user 'no-such-user-here' on this machine",
    });
    expect(await refused({ WG_AGENT_TOKEN: newToken(), RUN_AS: 'root', WG_COORDINATOR_URL: 'https://127.0.0.1:9' })).toEqual({
      code: 1,
      stderr: "wg: RUN_AS: 'root' is root; name an unprivileged user for the jobs (e.g. nobody, or one made for them)",
    });
  });
});

describe.runIf(process.getuid?.() === 0)('RUN_AS=nobody (as root)', () => {
  it("runs the job as nobody, which can read nothing of the daemon's: not its environment, its token file or its token", async () => {
    const repo = makeRepo('wg-agentd-token-runas-');
    execFileSync('chown', ['-R', 'nobody:', repo]);
    const tokenFile = join(scripts, 'token');
    writeFileSync(tokenFile, `${newToken()}\n`, { mode: 0o600 });
    const { daemon, lines, ancestor, end } = await runJob({
      // The fake coordinator listens on loopback in clear text, which RUN_AS refuses unless told so.
      env: { WG_AGENT_TOKEN_FILE: tokenFile, RUN_AS: 'nobody', WG_COORDINATOR_INSECURE: '1' },
      repo,
      script: jobScript(tokenFile),
    });
    expect(lines).toContain('uid 65534');
    expect(lines).toContain('home /nonexistent');
    expect(lines).toContain('own-env 0');
    expect(ancestor(daemon.pid)).toMatch(/ environ unreadable 0 mark 0 cmdline 0$/);
    expect(lines).toContain('token-file unreadable');
    // Its `wg` works through the relay, and what it changed is seen (git run as nobody in nobody's folder).
    expect(lines).toContain('wg answered: wg: task:log reached the coordinator');
    expect(end.diff).toContain('made-by-job.txt');
    expect(daemon.log()).toContain('run as nobody');
  });
});

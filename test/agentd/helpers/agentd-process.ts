import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import { WG_BIN } from '../../helpers/wg-cli';

/** Every process a test starts carries this in its environment, so leftovers (an orphaned CLI of a killed daemon) can be found and killed. */
const TEST_MARK = `WG_TEST_MARK=${randomUUID()}`;

export interface AgentdProcess {
  host: string;
  proc: ResultPromise;
  pid: number;
  log(): string;
}

/** A temporary git repository with one commit. */
export function makeRepo(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  return dir;
}

/** Starts `wg agentd` as its own process (and process group) with these settings in its environment (and these flags). */
export function startAgentd(host: string, env: Record<string, string>, flags: string[] = []): AgentdProcess {
  const [markKey, markValue] = TEST_MARK.split('=') as [string, string];
  let output = '';
  const proc = execa(process.execPath, [WG_BIN, 'agentd', '--host', host, ...flags], {
    env: { ...env, [markKey]: markValue, WG_DIR: '', WG_AGENT_ID: '' },
    reject: false,
    detached: true,
    all: true,
    buffer: false,
  });
  proc.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return { host, proc, pid: proc.pid as number, log: () => output };
}

/** Kills every process that carries this test's mark (daemons and the CLIs they started). */
export function killMarked(): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(TEST_MARK)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone, or not ours to read.
    }
  }
}

/** Whether a process carrying the mark and this text in its command line still runs. */
export function markedRunning(commandPart: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (environ.includes(TEST_MARK) && cmdline.includes(commandPart) && state !== 'Z') return true;
    } catch {
      // Gone.
    }
  }
  return false;
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wrapperArgs } from '../../../src/core/runs/starting/wrapper';

/** The machine's uptime in hundredths of a second (/proc/uptime), as the wrapper reads it. */
const uptime = () => Math.round(Number((readFileSync('/proc/uptime', 'utf8').split(' ')[0] ?? '').trim()) * 100);

describe("a run that may begin only until its coordinator's lease could lapse (the real wrapper, /bin/sh)", () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (by: string) => {
    dir = mkdtempSync(join(tmpdir(), 'wg-wrapper-'));
    const marker = join(dir, 'ran');
    const done = spawnSync('/bin/sh', wrapperArgs(dir, null, by, 'sh', ['-c', `touch ${marker}; exit 3`]), { encoding: 'utf8' });
    return { status: done.status, stderr: done.stderr, ran: existsSync(marker), exit: existsSync(join(dir, 'exit')) };
  };

  it.runIf(existsSync('/proc/uptime'))('runs the command before that time, and not after it (exit 75, no pid or exit file)', () => {
    expect(run(String(uptime() + 500))).toMatchObject({ status: 3, ran: true, exit: true });
    expect(run('')).toMatchObject({ status: 3, ran: true, exit: true });
    const late = run(String(uptime() - 100));
    expect(late).toMatchObject({ status: 75, ran: false, exit: false });
    expect(late.stderr.trim()).toBe('wg: not started: the lease of its coordinator may have lapsed before the run could begin');
    expect(existsSync(join(dir, 'pid'))).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceLog, readRecentErrors } from '../../src/core/service/service-log';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the coordinator's log", () => {
  it('has each line in the file once the call returns: a coordinator that exits right after (fenced, stopped) loses none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-service-log-'));
    dirs.push(dir);
    const file = join(dir, 'daemon.log');
    const log = createServiceLog(file);
    log.info('coordinator stopped (taken over: its runs were stopped)');
    log.error('another coordinator took over');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/\[info\] +coordinator stopped \(taken over: its runs were stopped\)$/);
    expect(lines[1]).toMatch(/\[error\] +another coordinator took over$/);
    expect(readRecentErrors(file).map((e) => e.message)).toEqual(['another coordinator took over']);
  });

  it('shows what others chose as text: escape codes never reach the terminal a person reads the log in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-service-log-'));
    dirs.push(dir);
    const file = join(dir, 'daemon.log');
    createServiceLog(file).info('run said \u001b[31mred\u001b[0m');
    expect(readFileSync(file, 'utf8')).toMatch(/run said .*red/);
    expect(readFileSync(file, 'utf8')).not.toContain('\u001b');
  });
});

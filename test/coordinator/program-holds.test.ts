import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROGRAM_LOOK_MS, ProgramHolds } from '../../src/core/coordinator/program-holds';
import { programMissing } from '../../src/core/executors/find-program';
import { assertProgramFound, ProgramMissing } from '../../src/core/runs/claiming/program-missing';
import type { LaunchSpec } from '../../src/core/executors/launch';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wg-program-holds-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts a program in the folder; runnable unless said otherwise. */
function install(name: string, mode = 0o755): string {
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

const spec = (command: string, env: Record<string, string> = {}): LaunchSpec => ({
  kind: 'process',
  command,
  args: [],
  env,
  stdin: null,
  cwd: dir,
  output: 'plain',
});

describe('whether a run’s program is there (find-program.ts)', () => {
  it('a bare name is looked for on the PATH given, as the shell would; a file that may not be run is not there', () => {
    expect(programMissing('claude', dir)).toBe(true);
    install('claude', 0o644);
    expect(programMissing('claude', dir)).toBe(true);
    chmodSync(join(dir, 'claude'), 0o755);
    expect(programMissing('claude', `/nowhere:${dir}`)).toBe(false);
    expect(programMissing('claude', undefined)).toBe(true);
  });

  it('an absolute path is judged as it is; a relative one is the run folder’s to resolve, and is not judged', () => {
    expect(programMissing(join(dir, 'codex'), '')).toBe(true);
    expect(programMissing(install('codex'), '')).toBe(false);
    expect(programMissing('./scripts/agent.sh', '')).toBe(false);
  });

  it('a claim is refused with the reason a person reads, looked for on the executor’s own PATH first', () => {
    const missing = (() => {
      try {
        assertProgramFound(spec('claude', { PATH: dir }), { PATH: '/usr/bin:/bin' }, 'claude');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(missing).toBeInstanceOf(ProgramMissing);
    expect(missing).toMatchObject({
      code: 'unavailable',
      program: 'claude',
      path: dir,
      executor: 'claude',
      message:
        'the claude CLI is not installed (or not on PATH): install Claude Code (npm install -g @anthropic-ai/claude-code) or set WG_CLAUDE_BIN to it',
    });
    // WG_CLAUDE_BIN naming a file that is not there: that variable is what to fix.
    const named = join(dir, 'claude');
    expect(() => assertProgramFound(spec(named), { WG_CLAUDE_BIN: named, PATH: '' }, 'claude')).toThrow(
      `WG_CLAUDE_BIN names ${named}, where there is no claude`,
    );
    install('claude');
    expect(() => assertProgramFound(spec('claude', { PATH: dir }), {}, 'claude')).not.toThrow();
    // What is not a local process starts nothing here.
    expect(() => assertProgramFound({ kind: 'manual' }, {}, 'manual')).not.toThrow();
  });
});

describe('programs this machine lacks, and the tasks that wait for them', () => {
  const refusal = (executor = 'claude') => new ProgramMissing('claude', dir, executor, 'the claude CLI is not installed');

  it('holds the executor of a refused claim and the refused task itself; said once per program, each task told once', () => {
    const holds = new ProgramHolds(() => undefined);
    expect(holds.hold(refusal(), 'c1')).toEqual({ newProgram: true, tellTask: true });
    // Another executor that runs the same program (routed there by model): held too, the program said once.
    expect(holds.hold(refusal('claude-opus'), 'c2')).toEqual({ newProgram: false, tellTask: true });
    expect(holds.hold(refusal(), 'c1')).toEqual({ newProgram: false, tellTask: false });
    expect(holds.reasonFor('claude', 'c9')).toBe('the claude CLI is not installed');
    expect(holds.reasonFor('claude-opus', 'c9')).toBe('the claude CLI is not installed');
    // A task refused under one executor waits whatever its ready row names (identity, routing).
    expect(holds.reasonFor('other', 'c1')).toBe('the claude CLI is not installed');
    expect(holds.reasonFor('shell', 'sh')).toBeNull();
    expect(holds.toTell('c9', 'the claude CLI is not installed')).toBe(true);
    expect(holds.toTell('c9', 'the claude CLI is not installed')).toBe(false);
    expect(holds.toTell('c1', 'the claude CLI is not installed')).toBe(false);
    holds.clear();
  });

  it('looks again every few seconds, without a turn of the coordinator; once found, its tasks go free and the coordinator is woken', () => {
    vi.useFakeTimers();
    const found: Array<Array<{ program: string; executors: string[] }>> = [];
    const holds = new ProgramHolds((programs) => found.push(programs));
    holds.hold(refusal(), 'c1');
    vi.advanceTimersByTime(PROGRAM_LOOK_MS * 3);
    expect(found).toEqual([]);
    install('claude');
    vi.advanceTimersByTime(PROGRAM_LOOK_MS);
    expect(found).toEqual([[{ program: 'claude', executors: ['claude'] }]]);
    expect(holds.reasonFor('claude', 'c1')).toBeNull();
    // Nothing held: nothing looked for any more.
    expect(vi.getTimerCount()).toBe(0);
    // Held again later (the program removed): told again, the program said again.
    rmSync(join(dir, 'claude'));
    expect(holds.hold(refusal(), 'c1')).toEqual({ newProgram: true, tellTask: true });
    holds.clear();
    expect(vi.getTimerCount()).toBe(0);
  });
});

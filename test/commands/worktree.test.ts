import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAge } from '../../src/shared/durations';
import type { WorktreeGcResult } from '../../src/shared/worktree';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg worktree gc --older` against upstream's own cases (graphwork/workgraph src/commands/worktree_cmd.rs `mod tests`,
 * its parse_duration), each named in its `it`: the age is taken on the command line (a project with no worktree has
 * nothing to collect) and read as upstream reads it (parseAge, what the command's handler uses). What gc does with
 * real worktrees needs git: test/worktrees/worktree-cli.process.test.ts.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-worktree-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const NOTHING: WorktreeGcResult = { applied: false, removed: [], kept: [] };

describe('wg worktree gc --older (upstream worktree_cmd.rs parse_duration)', () => {
  it('parse_duration_supports_common_units / parse_duration_bare_number_is_seconds', async () => {
    const seconds: Array<[string, number]> = [
      ['30s', 30],
      ['5m', 300],
      ['2h', 7200],
      ['7d', 604_800],
      ['1w', 604_800],
      ['60', 60],
    ];
    for (const [text, secs] of seconds) {
      expect(parseAge(text)).toBe(secs);
      expect(await p.json<WorktreeGcResult>(['worktree', 'gc', '--older', text])).toEqual(NOTHING);
    }
  });

  it('parse_duration_rejects_unknown_unit / parse_duration_rejects_empty: one plain line, a failed exit', async () => {
    for (const text of ['7y', '']) {
      expect(parseAge(text)).toBeNull();
      const refused = await p.wg(['worktree', 'gc', '--older', text]);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr.trim()).toBe('wg: older must be a duration like 7d, 24h, 90m, 2w or seconds');
      expect(refused.stdout).toBe('');
    }
  });
});

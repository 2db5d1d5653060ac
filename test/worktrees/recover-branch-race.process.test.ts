import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepCommit } from '../../src/core/worktrees/recover';
import { GitProject } from './git-project';

/**
 * Two processes keeping one run's work at once (real git): `wg retry --fresh` and the coordinator ending that run both
 * keep its commits on `recover/<agent>/<task>`. The second `git branch` was refused ("a branch named … already exists")
 * and the retry failed, in a full test run on a loaded machine.
 */
const p = new GitProject('wg-recover-race-');

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
});
afterAll(() => p.remove());

describe('keeping the same commit on a recover/ branch from two places at once', () => {
  it('keeps it once, under one name, and neither fails', async () => {
    const head = p.git(['rev-parse', 'HEAD']).trim();
    for (let round = 1; round <= 10; round++) {
      const input = { agentId: `agent-${round}`, taskId: 'f' };
      const kept = await Promise.all([keepCommit(p.dir, head, input), keepCommit(p.dir, head, input), keepCommit(p.dir, head, input)]);
      expect(kept).toEqual([`recover/agent-${round}/f`, `recover/agent-${round}/f`, `recover/agent-${round}/f`]);
    }
    expect(p.branches('recover/*')).toHaveLength(10);
  });

  it('keeps another commit under the next name', async () => {
    const first = p.git(['rev-parse', 'HEAD']).trim();
    p.write('b.txt', 'b\n');
    p.git(['add', 'b.txt']);
    p.git(['commit', '-q', '-m', 'b']);
    const second = p.git(['rev-parse', 'HEAD']).trim();
    const input = { agentId: 'agent-99', taskId: 'g' };
    expect(await keepCommit(p.dir, first, input)).toBe('recover/agent-99/g');
    expect(await keepCommit(p.dir, second, input)).toBe('recover/agent-99/g-2');
  });
});

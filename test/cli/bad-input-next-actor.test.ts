import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { projectState } from '../helpers/project-state';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'T1']);
  await p.ok(['agency', 'init']);
  await p.ok(['agent', 'create', 'rust-dev', '--role', 'Reviewer', '--tradeoff', 'Fast']);
  // Two agents of one name (different roles, so different ids): naming it is ambiguous.
  await p.ok(['agent', 'create', 'twin', '--role', 'Documenter', '--tradeoff', 'Thorough']);
  await p.ok(['agent', 'create', 'twin', '--role', 'Documenter', '--tradeoff', 'Fast']);
});
afterAll(() => p.remove());

describe('wg next --actor naming no one agent', () => {
  it('an unknown agent: one plain line, not "not found" twice, and nothing changes', async () => {
    const before = projectState(join(p.root, '.workgraph'));
    const result = await p.wg(['next', '--actor', 'nope']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe("wg: agent 'nope' not found");
    expect(projectState(join(p.root, '.workgraph'))).toEqual(before);
  });

  it('any other failure is passed on as it is, not relabelled as not found', async () => {
    const same = await p.wg(['next', '--actor', 'rust-dev']);
    expect(same.exitCode).toBe(0);
    const twins = await p.wg(['next', '--actor', 'twin']);
    expect(twins.exitCode).not.toBe(0);
    expect(twins.stderr).toMatch(/^wg: 2 agents are named 'twin': .+; give the id$/);
  });
});

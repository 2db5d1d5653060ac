import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentIdentity, IdentityView } from '../../src/shared/agency';
import type { AgentMatch } from '../../src/shared/coordination';
import { matchAgents, trustLevelOf } from '../../src/core/agent-loop/agent-match';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg match TASK`, each case ported from upstream's own (graphwork/workgraph, the test module of its `wg match`
 * command), named in its `it`, run in-process through the real command table. Upstream writes its agents as YAML into
 * its agency folder; here they are made with `wg role add`, `wg tradeoff add` and `wg agent create --capabilities`.
 * Upstream's cases only check that the command succeeds; these check what it prints.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-match-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** Upstream's `make_agent(name, capabilities)`: an identity of a role and a tradeoff of its own. */
async function agent(name: string, capabilities: string[]): Promise<IdentityView> {
  await p.ok(['role', 'add', `${name}-role`, '-d', `${name} role`, '--outcome', `${name} done`]);
  await p.ok(['tradeoff', 'add', `${name}-mot`, '-d', `${name} tradeoff`, '--accept', `${name} slow`, '--reject', `${name} broken`]);
  return p.json<IdentityView>([
    'agent',
    'create',
    name,
    '--role',
    `${name}-role`,
    '--tradeoff',
    `${name}-mot`,
    '--capabilities',
    capabilities.join(','),
  ]);
}

describe('wg match', () => {
  it('test_match_with_skills', async () => {
    await p.ok(['add', 'Rust task', '--id', 't1', '--skill', 'rust', '--skill', 'testing']);
    const rust = await agent('rust-expert', ['rust', 'testing', 'documentation']);
    const python = await agent('python-dev', ['python', 'testing']);
    const matches = await p.json<AgentMatch[]>(['match', 't1']);
    expect(matches).toEqual([
      {
        agent_id: rust.id,
        agent_name: 'rust-expert',
        score: 2,
        matched_skills: ['rust', 'testing'],
        missing_skills: [],
        trust_level: 'provisional',
        available: true,
      },
      {
        agent_id: python.id,
        agent_name: 'python-dev',
        score: 1,
        matched_skills: ['testing'],
        missing_skills: ['rust'],
        trust_level: 'provisional',
        available: true,
      },
    ]);
    expect((await p.ok(['match', 't1'])).trimEnd()).toBe(
      [
        'Task: t1 - Rust task',
        'Required skills: rust, testing',
        '',
        'Capable agents:',
        `  ${rust.id.slice(0, 8)} - rust-expert (all skills matched)`,
        `  ${python.id.slice(0, 8)} - python-dev (missing: rust)`,
      ].join('\n'),
    );
  });

  it('test_match_nonexistent_task', async () => {
    const result = await p.wg(['match', 'no-such-task']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no-such-task/);
  });

  it('test_match_task_with_no_skills: every agent is listed', async () => {
    await p.ok(['add', 'Generic task', '--id', 't1']);
    const generalist = await agent('generalist', ['rust']);
    expect((await p.json<AgentMatch[]>(['match', 't1'])).map((m) => [m.agent_name, m.score])).toEqual([['generalist', 0]]);
    expect(await p.ok(['match', 't1'])).toContain(
      `Required skills: (none)\n\nCapable agents:\n  ${generalist.id.slice(0, 8)} - generalist`,
    );
  });

  it('test_match_no_agents_registered', async () => {
    await p.ok(['add', 'Orphan task', '--id', 't1', '--skill', 'rust']);
    expect(await p.json<AgentMatch[]>(['match', 't1'])).toEqual([]);
    expect(await p.ok(['match', 't1'])).toContain('No agents with matching capabilities found.');
    await p.ok(['add', 'No skills', '--id', 't2']);
    expect(await p.ok(['match', 't2'])).toContain('No agents registered.');
  });

  it('test_match_json_output; an agent whose task is in progress is busy', async () => {
    await p.ok(['add', 'Rust task', '--id', 't1', '--skill', 'rust']);
    const dev = await agent('rust-dev', ['rust']);
    await p.ok(['add', 'Busy work', '--id', 'w']);
    await p.ok(['assign', 'w', dev.id]);
    await p.ok(['claim', 'w']);
    const [match] = await p.json<AgentMatch[]>(['match', 't1']);
    expect(match).toMatchObject({ agent_id: dev.id, score: 1, matched_skills: ['rust'], available: false });
    expect(await p.ok(['match', 't1'])).toContain('(all skills matched) [BUSY]');
  });
});

describe('the score (upstream match_cmd::run, pure)', () => {
  const identity = (id: string, capabilities: string[]): AgentIdentity => ({
    id,
    name: id,
    role_id: 'r',
    tradeoff_id: 't',
    executor: 'claude',
    model: null,
    provider: null,
    capabilities,
    created_at: '2026-03-01T00:00:00Z',
  });

  it('a verified agent scores one more; among equals the available come first; no point, not listed', () => {
    const matches = matchAgents(
      ['rust'],
      [
        { identity: identity('busy', ['rust']), trust: 'provisional', busy: true },
        { identity: identity('free', ['rust']), trust: 'provisional', busy: false },
        { identity: identity('checked', []), trust: 'verified', busy: false },
        { identity: identity('none', ['go']), trust: 'unknown', busy: false },
      ],
    );
    expect(matches.map((m) => [m.agent_id, m.score, m.available])).toEqual([
      ['free', 1, true],
      ['checked', 1, true],
      ['busy', 1, false],
    ]);
  });

  it("upstream's trust levels as an import keeps them; provisional otherwise", () => {
    expect([trustLevelOf('Verified'), trustLevelOf('unknown'), trustLevelOf(undefined), trustLevelOf(3)]).toEqual([
      'verified',
      'unknown',
      'provisional',
      'provisional',
    ]);
  });
});

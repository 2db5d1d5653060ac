import { afterAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * One name per concept (issue 28): "agent" alone could be a run, an identity or a daemon. The help of
 * every command about runs says "agent run", and `wg agents` / `wg agent` point at each other, as
 * upstream's `wg agents` help does ("not agent identity definitions … See also: 'wg agent'").
 */
const p = new TempProject('wg-help-');
afterAll(() => p.remove());

/** The help's first paragraph (its summary), on one line whatever the width commander wrapped it to. */
async function summary(command: string): Promise<string> {
  const help = await p.ok([command, '--help']);
  return (help.split('\n\n')[1] ?? '').replace(/\s+/g, ' ').trim();
}

describe('agent words in the CLI help', () => {
  it('wg agents lists agent runs and points to wg agent for identities', async () => {
    expect(await summary('agents')).toBe('List agent runs (not identities: see wg agent)');
  });

  it('wg agent is agent identities and points to wg agents for runs', async () => {
    expect(await summary('agent')).toBe('Agent identities: a role and a tradeoff (not runs: see wg agents)');
  });

  it.each(['kill', 'spawn', 'dead-agents', 'output', 'heartbeat'])('wg %s speaks of an agent run', async (command) => {
    expect(await summary(command)).toMatch(/\bagent runs?\b/);
  });

  it('the top-level help shows each summary beside its command', async () => {
    const help = (await p.ok(['--help'])).replace(/\s+/g, ' ');
    expect(help).toContain('agents [options] List agent runs (not identities: see wg agent)');
    expect(help).toContain('agent Agent identities: a role and a tradeoff (not runs: see wg agents)');
  });
});

import { describe, expect, it } from 'vitest';
import { canRun, matchTasks, type DaemonSlot, type RemoteNeed } from '../../src/core/agent-daemons/matching';

const NOW = Date.parse('2030-01-01T12:00:00Z');

function daemon(id: string, seq: number, patch: Partial<DaemonSlot> = {}): DaemonSlot {
  return {
    id,
    host: id,
    seq,
    roles: ['dev'],
    repos: ['acme/app'],
    token_name: `${id}-token`,
    token_roles: [],
    token_repos: [],
    capacity: 2,
    active: 0,
    downgraded_until_ms: null,
    ...patch,
  };
}

const need = (task_id: string, repo = 'acme/app', role: string | null = 'dev'): RemoteNeed => ({ task_id, repo, role });

describe('remote matching', () => {
  it('needs the repository and the role, from the registration and the token alike', () => {
    expect(canRun(daemon('a', 1), need('t'))).toBe(true);
    expect(canRun(daemon('a', 1), need('t', 'acme/web'))).toBe(false);
    expect(canRun(daemon('a', 1), need('t', 'acme/app', 'qa'))).toBe(false);
    expect(canRun(daemon('a', 1), need('t', 'acme/app', null))).toBe(true);
    expect(canRun(daemon('a', 1, { token_repos: ['acme/web'] }), need('t'))).toBe(false);
    expect(canRun(daemon('a', 1, { token_roles: ['qa'] }), need('t'))).toBe(false);
    expect(canRun(daemon('a', 1, { token_roles: ['dev'], token_repos: ['acme/app'] }), need('t'))).toBe(true);
  });

  it("takes any role from a daemon started without ROLES, as it says, within its token's roles (the guide's example waited for good)", () => {
    const any = daemon('a', 1, { roles: [] });
    expect(canRun(any, need('t', 'acme/app', 'dev'))).toBe(true);
    expect(canRun(any, need('t', 'acme/app', 'qa'))).toBe(true);
    expect(canRun({ ...any, token_roles: ['dev'] }, need('t', 'acme/app', 'qa'))).toBe(false);
    expect(canRun({ ...any, token_roles: ['dev'] }, need('t', 'acme/app', 'dev'))).toBe(true);
    expect(matchTasks([need('x')], [any], NOW, 0).assignments).toEqual([{ task_id: 'x', daemon_id: 'a' }]);
  });

  it('gives each task to a daemon allowed to run it, or says what it waits for', () => {
    const daemons = [daemon('dev', 1), daemon('qa', 2, { roles: ['qa'] }), daemon('web', 3, { repos: ['acme/web'] })];
    const result = matchTasks([need('a'), need('b', 'acme/app', 'qa'), need('c', 'acme/web'), need('d', 'acme/mobile')], daemons, NOW, 0);
    expect(result.assignments).toEqual([
      { task_id: 'a', daemon_id: 'dev' },
      { task_id: 'b', daemon_id: 'qa' },
      { task_id: 'c', daemon_id: 'web' },
    ]);
    expect(result.waiting).toEqual([{ task_id: 'd', reason: 'waiting for an agent daemon with repo acme/mobile, role dev' }]);
  });

  it('names a connected daemon that offers what a task needs but whose token does not allow it, never as a match', () => {
    const daemons = [
      daemon('lap', 1, { repos: ['acme/app', 'shop'], roles: ['dev', 'qa'], token_repos: ['acme/app'], token_roles: ['dev'] }),
    ];
    const result = matchTasks([need('s', 'shop', 'dev'), need('q', 'acme/app', 'qa'), need('a')], daemons, NOW, 0);
    expect(result.assignments).toEqual([{ task_id: 'a', daemon_id: 'lap' }]);
    expect(result.waiting).toEqual([
      {
        task_id: 's',
        reason: "waiting for an agent daemon with repo shop, role dev (lap offers it, but its token 'lap-token' does not allow repo shop)",
      },
      {
        task_id: 'q',
        reason: "waiting for an agent daemon with repo acme/app, role qa (lap offers it, but its token 'lap-token' does not allow role qa)",
      },
    ]);
  });

  it('the least busy first, round-robin among equals, within capacity', () => {
    const daemons = [daemon('a', 1, { active: 1 }), daemon('b', 2), daemon('c', 3)];
    const result = matchTasks(
      ['1', '2', '3', '4', '5', '6'].map((id) => need(id)),
      daemons,
      NOW,
      0,
    );
    // b and c are idle (b first), then all three hold one (a, b, c in turn from after c), then capacity 2 is full.
    expect(result.assignments.map((a) => a.daemon_id)).toEqual(['b', 'c', 'a', 'b', 'c']);
    expect(result.waiting).toEqual([
      { task_id: '6', reason: 'waiting for an agent daemon with repo acme/app, role dev (all 3 connected are busy)' },
    ]);
    expect(result.last_seq).toBe(3);
  });

  it('the round-robin carries over from the last turn', () => {
    const daemons = [daemon('a', 1), daemon('b', 2), daemon('c', 3)];
    expect(matchTasks([need('x')], daemons, NOW, 1).assignments[0]?.daemon_id).toBe('b');
    expect(matchTasks([need('x')], daemons, NOW, 3).assignments[0]?.daemon_id).toBe('a');
  });

  it('a daemon out of quota takes nothing until its reset time; the task goes to another or waits', () => {
    const later = NOW + 60_000;
    const out = daemon('a', 1, { downgraded_until_ms: later });
    expect(matchTasks([need('x')], [out, daemon('b', 2, { active: 1 })], NOW, 0).assignments).toEqual([{ task_id: 'x', daemon_id: 'b' }]);
    const alone = matchTasks([need('x')], [out], NOW, 0);
    expect(alone.assignments).toEqual([]);
    expect(alone.waiting[0]?.reason).toBe(
      'waiting for an agent daemon with repo acme/app, role dev (a out of quota until 2030-01-01T12:01:00.000Z)',
    );
    expect(matchTasks([need('x')], [out], later, 0).assignments).toEqual([{ task_id: 'x', daemon_id: 'a' }]);
  });
});

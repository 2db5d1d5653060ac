import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityHash } from '../../src/core/agency/hash';
import { DEFAULT_AGENT, STARTER_ROLES, STARTER_TRADEOFFS } from '../../src/core/agency/starters';
import { descriptionHash } from '../../src/core/agency/hash';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';
import { agencyWrites } from '../../src/core/agency/agency-writes';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore(undefined, kind);
  });
  afterEach(() => t.dispose());

  function seedProgrammer() {
    const agency = agencyWrites(t.store);
    return t.store.core.write(async () => {
      const role = STARTER_ROLES[0] as (typeof STARTER_ROLES)[number];
      const roleId = await agency.putRole(role, 'refuse');
      const tradeoff = STARTER_TRADEOFFS[0] as (typeof STARTER_TRADEOFFS)[number];
      await agency.putTradeoff(tradeoff, 'refuse');
      const agentId = await agency.putIdentity({ name: 'Careful Programmer', role_id: roleId, tradeoff_id: tradeoff.id }, 'refuse');
      return { roleId, tradeoffId: tradeoff.id, agentId };
    });
  }

  describe('the agency in the store', () => {
    it('keys everything by content: the same parts twice are refused, a new name is not a new id', () => {
      const { agentId } = seedProgrammer();
      expect(agentId).toBe(DEFAULT_AGENT.id);
      expect(() =>
        t.store.core.write(() =>
          agencyWrites(t.store).putRole({ ...(STARTER_ROLES[0] as (typeof STARTER_ROLES)[number]), name: 'Coder' }, 'refuse'),
        ),
      ).toThrow(/identical content already exists \(b819a338\)/);
      expect(t.store.agency.roles()).toHaveLength(1);
    });

    it('accepts an id, any unique prefix of it, or the name; says when a prefix is ambiguous', () => {
      const { agentId } = seedProgrammer();
      expect(t.store.agency.resolveIdentity(agentId).name).toBe('Careful Programmer');
      expect(t.store.agency.resolveIdentity(agentId.slice(0, 3)).id).toBe(agentId);
      expect(t.store.agency.resolveIdentity('careful programmer').id).toBe(agentId);
      // A second tradeoff whose id starts with the same hex digit as Careful's.
      const careful = t.store.agency.resolveTradeoff('Careful').id;
      let n = 0;
      while (descriptionHash(`other ${n}`)[0] !== careful[0]) n++;
      const description = `other ${n}`;
      t.store.core.write(() =>
        agencyWrites(t.store).putTradeoff(
          { id: descriptionHash(description), name: 'Other', description, acceptable: [], unacceptable: [], scope: null },
          'refuse',
        ),
      );
      expect(() => t.store.agency.resolveTradeoff(careful.slice(0, 1))).toThrow(/matches 2 tradeoffs: Careful \(52fb1932\), Other/);
      expect(() => t.store.agency.resolveTradeoff('zz')).toThrow("tradeoff 'zz' not found");
    });

    it("editing a role's skills re-hashes it and its agents, and the tasks and evaluations that named them follow", () => {
      const { roleId, tradeoffId, agentId } = seedProgrammer();
      const task = t.store.tasks.add({ title: 'Build it' }, 'user');
      t.store.core.write(() => {
        t.store.core.sql('UPDATE tasks SET agent = ? WHERE id = ?').run(agentId, task.id);
        t.store.evaluations.insert({
          task_id: task.id,
          agent_id: agentId,
          role_id: roleId,
          tradeoff_id: tradeoffId,
          score: 0.8,
          dimensions: {},
          notes: null,
          evaluator: 'x',
          model: null,
          source: 'manual',
          timestamp: 'now',
        });
      });
      const role = t.store.agency.resolveRole('Programmer');
      const renamed = t.store.core.write(() => agencyWrites(t.store).editRole(role, { name: 'Coder' }));
      expect(renamed).toBe(roleId);
      const moved = t.store.core.write(() =>
        agencyWrites(t.store).editRole(t.store.agency.resolveRole('Coder'), { component_ids: ['rust'] }),
      );
      expect(moved).not.toBe(roleId);
      const newAgent = identityHash(moved, tradeoffId);
      expect(t.store.agency.identities().map((a) => a.id)).toEqual([newAgent]);
      expect(t.store.get(task.id).agent).toBe(newAgent);
      expect(t.store.evaluations.forTask(task.id)[0]).toMatchObject({ agent_id: newAgent, role_id: moved });
    });

    it('refuses to remove what is in use, naming who uses it', () => {
      const { agentId } = seedProgrammer();
      expect(() => t.store.core.write(() => agencyWrites(t.store).removeRole(t.store.agency.resolveRole('Programmer')))).toThrow(
        /role 'Programmer' is used by Careful Programmer \(02e87968\)/,
      );
      const task = t.store.tasks.add({ title: 'Build it' }, 'user');
      t.store.core.write(() => t.store.core.sql('UPDATE tasks SET agent = ? WHERE id = ?').run(agentId, task.id));
      expect(() => t.store.core.write(() => agencyWrites(t.store).removeIdentity(t.store.agency.resolveIdentity(agentId)))).toThrow(
        /unfinished task\(s\) build-it/,
      );
      t.store.tasks.abandon(task.id, undefined, 'user');
      t.store.core.write(() => agencyWrites(t.store).removeIdentity(t.store.agency.resolveIdentity(agentId)));
      expect(t.store.agency.identities()).toEqual([]);
    });
  });
});

import { sqlText } from '../helpers/sql-text';
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

  async function seedProgrammer() {
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
    it('keys everything by content: the same parts twice are refused, a new name is not a new id', async () => {
      const { agentId } = await seedProgrammer();
      expect(agentId).toBe(DEFAULT_AGENT.id);
      await expect(() =>
        t.store.core.write(() =>
          agencyWrites(t.store).putRole({ ...(STARTER_ROLES[0] as (typeof STARTER_ROLES)[number]), name: 'Coder' }, 'refuse'),
        ),
      ).rejects.toThrow(/identical content already exists \(b819a338\)/);
      expect(await t.store.agency.roles()).toHaveLength(1);
    });

    it('accepts an id, any unique prefix of it, or the name; says when a prefix is ambiguous', async () => {
      const { agentId } = await seedProgrammer();
      expect((await t.store.agency.resolveIdentity(agentId)).name).toBe('Careful Programmer');
      expect((await t.store.agency.resolveIdentity(agentId.slice(0, 3))).id).toBe(agentId);
      expect((await t.store.agency.resolveIdentity('careful programmer')).id).toBe(agentId);
      // A second tradeoff whose id starts with the same hex digit as Careful's.
      const careful = (await t.store.agency.resolveTradeoff('Careful')).id;
      let n = 0;
      while (descriptionHash(`other ${n}`)[0] !== careful[0]) n++;
      const description = `other ${n}`;
      await t.store.core.write(() =>
        agencyWrites(t.store).putTradeoff(
          { id: descriptionHash(description), name: 'Other', description, acceptable: [], unacceptable: [], scope: null },
          'refuse',
        ),
      );
      await expect(() => t.store.agency.resolveTradeoff(careful.slice(0, 1))).rejects.toThrow(
        /matches 2 tradeoffs: Careful \(52fb1932\), Other/,
      );
      await expect(() => t.store.agency.resolveTradeoff('zz')).rejects.toThrow("tradeoff 'zz' not found");
    });

    it("editing a role's skills re-hashes it and its agents, and the tasks and evaluations that named them follow", async () => {
      const { roleId, tradeoffId, agentId } = await seedProgrammer();
      const task = await t.store.tasks.add({ title: 'Build it' }, 'user');
      await t.store.core.write(async () => {
        await sqlText(t.store.core, 'UPDATE tasks SET agent = ? WHERE id = ?').run(agentId, task.id);
        await t.store.evaluations.insert({
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
      const role = await t.store.agency.resolveRole('Programmer');
      const renamed = await t.store.core.write(() => agencyWrites(t.store).editRole(role, { name: 'Coder' }));
      expect(renamed).toBe(roleId);
      const moved = await t.store.core.write(async () =>
        agencyWrites(t.store).editRole(await t.store.agency.resolveRole('Coder'), { component_ids: ['rust'] }),
      );
      expect(moved).not.toBe(roleId);
      const newAgent = identityHash(moved, tradeoffId);
      expect((await t.store.agency.identities()).map((a) => a.id)).toEqual([newAgent]);
      expect((await t.store.get(task.id)).agent).toBe(newAgent);
      expect((await t.store.evaluations.forTask(task.id))[0]).toMatchObject({ agent_id: newAgent, role_id: moved });
    });

    it('refuses to remove what is in use, naming who uses it', async () => {
      const { agentId } = await seedProgrammer();
      await expect(() =>
        t.store.core.write(async () => agencyWrites(t.store).removeRole(await t.store.agency.resolveRole('Programmer'))),
      ).rejects.toThrow(/role 'Programmer' is used by Careful Programmer \(02e87968\)/);
      const task = await t.store.tasks.add({ title: 'Build it' }, 'user');
      await t.store.core.write(() => sqlText(t.store.core, 'UPDATE tasks SET agent = ? WHERE id = ?').run(agentId, task.id));
      await expect(() =>
        t.store.core.write(async () => agencyWrites(t.store).removeIdentity(await t.store.agency.resolveIdentity(agentId))),
      ).rejects.toThrow(/unfinished task\(s\) build-it/);
      await t.store.tasks.abandon(task.id, undefined, 'user');
      await t.store.core.write(async () => agencyWrites(t.store).removeIdentity(await t.store.agency.resolveIdentity(agentId)));
      expect(await t.store.agency.identities()).toEqual([]);
    });
  });
});

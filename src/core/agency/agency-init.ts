import { filterAsync } from '../../shared/async-arrays';
import type { AgencyInitResult } from '../../shared/agency';
import { loadSettings } from '../config/settings';
import { section } from '../config/toml-file';
import { updateProjectConfig } from '../config/project-config';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import {
  ALL_STARTER_COMPONENTS,
  ALL_STARTER_OUTCOMES,
  ALL_STARTER_ROLES,
  ALL_STARTER_TRADEOFFS,
  ASSIGNER_AGENT,
  DEFAULT_AGENT,
  EVALUATOR_AGENT,
  STARTER_AGENTS,
} from './starters';
import { agencyWrites } from './agency-writes';

/**
 * `wg agency init`, as upstream's: seeds what is missing (same content, same hash: nothing is
 * duplicated and edits to existing entries are kept), then turns on auto-assign and auto-evaluate and
 * names the special agents in config.toml. Running it again changes nothing.
 */
export async function initAgency(store: Store, paths: ProjectPaths): Promise<AgencyInitResult> {
  const seeded = await store.core.write(async () => {
    const agency = agencyWrites(store);
    for (const c of ALL_STARTER_COMPONENTS) await agency.putComponent(c, 'keep');
    for (const o of ALL_STARTER_OUTCOMES) await agency.putOutcome(o, 'keep');
    const roles = new Set((await agency.roles()).map((r) => r.id));
    let rolesCreated = 0;
    for (const r of ALL_STARTER_ROLES) {
      if (!roles.has(r.id)) rolesCreated++;
      await agency.putRole(r, 'keep');
    }
    const tradeoffsCreated = (await filterAsync(ALL_STARTER_TRADEOFFS, (t) => agency.putTradeoff({ ...t, created_at: undefined }, 'keep')))
      .length;
    const agentsCreated: string[] = [];
    for (const a of STARTER_AGENTS) {
      if (await agency.identity(a.id)) continue;
      await agency.putIdentity({ name: a.name, role_id: a.role.id, tradeoff_id: a.tradeoff.id }, 'keep');
      agentsCreated.push(a.name);
    }
    return { rolesCreated, tradeoffsCreated, agentsCreated };
  });

  const wanted: Record<string, boolean | string> = {
    auto_assign: true,
    auto_evaluate: true,
    assigner_agent: ASSIGNER_AGENT.id,
    evaluator_agent: EVALUATOR_AGENT.id,
  };
  const current = (await loadSettings(paths)).settings.agency as Record<string, unknown>;
  const changes = Object.entries(wanted).filter(([key, value]) => current[key] !== value);
  if (changes.length > 0) {
    await updateProjectConfig(paths, (table) => {
      const agencyTable = section(table, 'agency');
      for (const [key, value] of changes) agencyTable[key] = value;
    });
  }
  return {
    roles_created: seeded.rolesCreated,
    tradeoffs_created: seeded.tradeoffsCreated,
    agents_created: seeded.agentsCreated,
    config_changed: changes.length > 0,
    default_agent: DEFAULT_AGENT.id,
  };
}

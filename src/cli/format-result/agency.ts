import {
  identityDetail,
  identityList,
  initText,
  roleDetail,
  roleList,
  statsText,
  tradeoffDetail,
  tradeoffList,
  transferText,
} from '../agency-format';
import type { Formatters } from './formatters';

/** The agency: roles, tradeoffs and agent identities, and the agency as a whole. */

export const agencyFormatters: Formatters = {
  'agency:init': initText,
  'agency:stats': statsText,
  'agency:export': (t) => transferText('exported to', t),
  'agency:import': (t) => transferText('imported from', t),
  'role:add': roleDetail,
  'role:list': roleList,
  'role:show': roleDetail,
  'role:edit': roleDetail,
  'role:rm': (r) => `Removed role '${r.name}' (${r.id.slice(0, 8)})`,
  'tradeoff:add': tradeoffDetail,
  'tradeoff:list': tradeoffList,
  'tradeoff:show': tradeoffDetail,
  'tradeoff:rm': (t) => `Removed tradeoff '${t.name}' (${t.id.slice(0, 8)})`,
  // Upstream's first line says the agent was made; the page after it is what `wg agent show` prints.
  'identity:create': (a) => `Created agent '${a.name}' (${a.id.slice(0, 8)})\n${identityDetail(a)}`,
  'identity:list': identityList,
  'identity:show': identityDetail,
  'identity:rm': (a) => `Removed agent '${a.name}' (${a.id.slice(0, 8)})`,
};

/**
 * A coordinator's fair share of a team's cap, when the cap binds. Without it the cap goes to whoever claims
 * first: the coordinator that settles a run takes the freed slot in the same turn, and a coordinator that joined
 * once the others had filled the cap never starts anything (three machines of 4 under a team cap of 8 left one
 * idle for a whole run). Each coordinator advertises its capacity (its max_agents, 0 while paused) on its lease
 * row; the cap is shared out by water-filling: the lowest level L at which the coordinators' capacities, each
 * cut at L, cover the cap. Every coordinator may hold L runs, so a small machine's unused room goes to the
 * others, and the shares together always cover the cap: no slot is left idle while a coordinator could use it.
 */
export function teamShare(cap: number, capacities: readonly number[]): number {
  const usable = capacities.map((c) => Math.max(0, c));
  const total = usable.reduce((sum, c) => sum + c, 0);
  // The cap does not bind: each may use all its room.
  if (total <= cap) return Math.max(0, ...usable, 0);
  let level = 0;
  while (usable.reduce((sum, c) => sum + Math.min(c, level), 0) < cap) level++;
  return level;
}

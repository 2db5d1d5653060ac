import type { StoreCore } from '../store-core';

/**
 * The team stores this process has open, by the URL they were opened with: what else the process reads of
 * that store (the team's settings) goes on the same connection, rather than opening one of its own for it.
 */
const open = new Map<string, StoreCore[]>();

export function storeOpened(url: string, core: StoreCore): void {
  open.set(url, [...(open.get(url) ?? []), core]);
}

export function storeClosed(url: string, core: StoreCore): void {
  const left = (open.get(url) ?? []).filter((c) => c !== core);
  if (left.length > 0) open.set(url, left);
  else open.delete(url);
}

/** A connection this process already has to the team store at `url`, if it has one (the one opened last). */
export function openTeamStore(url: string): StoreCore | undefined {
  return open.get(url)?.at(-1);
}

/** Upstream's `wg migrate retire-compact-archive` result: the tasks retired and the after-edges to them taken out. */
export interface RetireReport {
  abandoned_ids: string[];
  stripped_edges: number;
  dry_run: boolean;
}

import type { ExitRows } from '../runs/judging/agent-judge';
import type { RunExit } from '../runs/watching/run-monitor';
import { inFlight } from '../store/in-flight';
import { MIGRATIONS } from '../store/migrations';
import type { Store } from '../store/store';
import type { PlanBasis } from '../store/store-core';

/** What a turn read of its runs just before it committed, and what the project was once it had. */
export interface ExitsAhead {
  basis: PlanBasis;
  rows: ExitRows;
}

interface Kept extends ExitsAhead {
  agentIds: ReadonlySet<string>;
  /** The store's commits once the turn that read it had committed (StoreCore.commits): any since, of this process, end it. */
  commits: number;
}

export interface ExitReadsAheadParts {
  store: Store;
  /** What judging runs' ends reads of them (AgentJudge.readExitRows). */
  readRows: (agentIds: readonly string[]) => Promise<ExitRows>;
  /** The runs this coordinator watches (its local runs). */
  running: () => string[];
}

/**
 * A team's turn that judges runs' ends, in two round trips instead of three. Judging an end decides on what the store
 * says of the run (its agent, its task, its work to merge), so the turn's settles used to wait for a read at its
 * opening, and its tick's reads for them. Here each turn that commits reads its runs as it leaves them, last before
 * its commit (no round trip of its own), with what the project stands on then (PlanBasis); the next turn that judges
 * their ends stands on those reads, checked by the database as a planned turn's claims are (takePlannedRevision): its
 * settles and its tick's reads go with its opening. A project that moved on meanwhile fails it (StalePlanError,
 * nothing written) and the turn is taken again whole, at once; what it started judging apart (a merge, say) waited for
 * its commit and is dropped with it (TurnGate), so nothing is judged on a read the database refused. Kept only until anything else commits: this process
 * (a run's report over the API, a run judged apart: StoreCore.commits) or another (a newer revision heard of: known).
 */
export class ExitReadsAhead {
  private kept: Kept | null = null;

  constructor(private readonly o: ExitReadsAheadParts) {}

  /** Inside a turn, after its writes: the runs it leaves working (its own claims among them: `claimed`). */
  async read(claimed: readonly string[]): Promise<Omit<Kept, 'commits'> | null> {
    const ids = [...new Set([...this.o.running(), ...claimed])];
    if (ids.length === 0) return null;
    const basis = inFlight(this.o.store.core.planBasis());
    const rows = inFlight(this.o.readRows(ids));
    return { basis: await basis, rows: await rows, agentIds: new Set(ids) };
  }

  /** The turn that read `read` has just committed. */
  keep(read: Omit<Kept, 'commits'> | null): void {
    this.kept = read && { ...read, commits: this.o.store.core.commits };
  }

  /** A revision of the project is known: past the one read ahead, something else committed since. */
  known(rev: number): void {
    if (this.kept && rev > this.kept.basis.rev) this.kept = null;
  }

  /**
   * For a turn judging these ends: what was read ahead of them, taken once (the turn reads afresh for the next), or null
   * when it does not cover them all or was read under a newer schema than this build's (the whole turn says so).
   */
  take(exits: readonly RunExit[]): ExitsAhead | null {
    const kept = this.kept;
    this.kept = null;
    if (!kept || kept.commits !== this.o.store.core.commits || kept.basis.version !== MIGRATIONS.length) return null;
    return exits.every((exit) => kept.agentIds.has(exit.agentId)) ? kept : null;
  }
}

import { RUN_MARKER } from '../../runs/killing/run-marker';
import { framed, shellWord } from './run-server-words';
import type { SpawnRequest } from './spawner';

/**
 * Never part of the shell's own environment: the run marker (a kill by marker must find the runs,
 * never the run server or a worker), and what bash keeps up to date for itself. A run gets them
 * from its request; `_` is set by bash to the command's path, as any shell does.
 */
const PER_RUN = new Set([RUN_MARKER, 'SHLVL', 'PWD', 'OLDPWD', '_']);

/** Never made the shell's own (keep): the locale would change how the shell itself reads. */
const SHELL_LOCALE = /^(LANG|LC_\w+)$/;

/**
 * The most the shell is told to keep, in bytes, over its life: every worker's pipe is handed each
 * keep, also while the worker runs (for minutes), so keeps must never fill a pipe (16 KB on macOS).
 */
const KEEP_MAX = 8 * 1024;

/**
 * The run server's own environment as its client knows it (fork-server.ts): the first run's, then
 * the values it was told to keep. A run's request carries only what it must set or unset on top.
 */
export class ServerEnvironment {
  /** The shell's own environment, and the base layer it was made from (when the first run came in layers). */
  private base: Record<string, string> = {};
  private baseSource: Record<string, string> | null = null;
  /** Names of PER_RUN in that base layer: the shell has none of them, so every run sets them. */
  private perRunInBase: string[] = [];
  /** Variables the shell was told to keep after its start (keep), each once, and their bytes. */
  private kept = new Set<string>();
  private keptBytes = 0;
  /** What the last request set, by name: a value set again by the next one is kept by the shell. */
  private lastSets = new Map<string, string>();

  /** A new shell, made from its first run's environment (returned, to start it with); it keeps nothing yet. */
  reset(first: SpawnRequest): Record<string, string> {
    const env = first.layers?.base ?? first.env;
    this.base = Object.fromEntries(Object.entries(env).filter(([name]) => !PER_RUN.has(name)));
    this.baseSource = first.layers?.base ?? null;
    this.perRunInBase = Object.keys(env).filter((name) => PER_RUN.has(name));
    this.kept.clear();
    this.keptBytes = 0;
    this.lastSets.clear();
    return this.base;
  }

  /**
   * What the run's environment sets and unsets on top of the shell's own. A run whose environment
   * comes in layers over the base the shell was started from sends only its own layer (and the
   * names bash keeps for itself, and what the shell kept that the run has otherwise): no comparison
   * of the whole, ~50 variables a run.
   */
  difference(request: SpawnRequest): [[string, string][], string[]] {
    const layers = request.layers;
    if (layers && layers.base === this.baseSource) {
      const sets: [string, string][] = [];
      const unsets: string[] = [];
      const own = layers.own;
      for (const name of this.perRunInBase) if (!(name in own)) sets.push([name, layers.base[name] as string]);
      for (const name in own) if (PER_RUN.has(name) || this.base[name] !== own[name]) sets.push([name, own[name] as string]);
      // What the shell kept and this run does not set: the base's value, or none.
      for (const name of this.kept) {
        if (name in own) continue;
        const value = layers.base[name];
        if (value === undefined) unsets.push(name);
        else if (value !== this.base[name]) sets.push([name, value]);
      }
      return [sets, unsets];
    }
    const env = request.env;
    const sets = Object.entries(env).filter(([name, value]) => this.base[name] !== value || PER_RUN.has(name));
    const unsets = Object.keys(this.base).filter((name) => !(name in env));
    return [sets, unsets];
  }

  /**
   * The request that makes variables the shell's own (and its workers'), or null: the sets of this
   * run that the last run set to the same value. Values most runs share (the coordinator's API
   * address and token, the agents' PATH...) then no longer ride in every request nor are exported by
   * every run (measured before workers: 14 variables, ~1 KB, ~0.05 ms of CPU a run). A run without
   * one, or with another value, sets or unsets it as any other difference. Each name is kept once,
   * within KEEP_MAX bytes in all (see there). Remembers this run's sets for the next.
   */
  keep(sets: [string, string][]): string | null {
    const last = this.lastSets;
    this.lastSets = new Map(sets);
    const keep = sets.filter(([name, value]) => last.get(name) === value && !this.kept.has(name) && !PER_RUN.has(name) && !SHELL_LOCALE.test(name));
    if (keep.length === 0) return null;
    const inner = framed(keep.map(([name, value]) => shellWord(`${name}=${value}`)).join(' '));
    if (this.keptBytes + inner.length > KEEP_MAX) return null;
    this.keptBytes += inner.length;
    for (const [name, value] of keep) {
      this.base[name] = value;
      this.kept.add(name);
    }
    // Both lengths marked `=` in place of their first digit (fork-server.sh): the server's and its workers'.
    const outer = framed(`=${inner.slice(1)}`);
    return `=${outer.slice(1)}`;
  }
}

import { statSync } from 'node:fs';
import type { ConfigEntry, ExecutorProfile, ModelRegistry, Settings } from '../../shared/config-types';
import { loadSettings } from './settings';
import { readExecutors } from './executors';
import { readModels } from './models';
import { requireDefaultExecutor } from './default-executor';
import { withRoleRoutes } from './role-routes';
import { teamConfigStamp } from './project-config';
import type { ProjectPaths } from '../project';
import { errorText } from '../../shared/errors';
import { WriteEndedError } from '../store/sql-connection';

/** `wg service start|reload --max-agents N --model M --executor E`. */
export interface ServiceOverrides {
  maxAgents?: number;
  model?: string;
  executor?: string;
  /** Seconds between the coordinator's safety-net looks (upstream's `--interval`). */
  interval?: number;
}

export interface Config {
  settings: Settings;
  /** Every effective value with where it came from (default, global, local, override, a role's model route). */
  entries: ConfigEntry[];
  profiles: ExecutorProfile[];
  registry: ModelRegistry;
}

function toSettingOverrides(o: ServiceOverrides): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (o.maxAgents !== undefined) out['coordinator.max_agents'] = o.maxAgents;
  if (o.model !== undefined) out['coordinator.model'] = o.model;
  if (o.executor !== undefined) out['coordinator.executor'] = o.executor;
  if (o.interval !== undefined) out['coordinator.poll_interval'] = o.interval;
  return out;
}

const CHECK_EVERY_MS = 200;

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * The configuration the coordinator runs with: config.toml (global, then local) under the service
 * overrides. Re-read when either file changes (cheap stat per look), or on `reload`. A file that
 * stops parsing keeps the last good configuration and reports the error once.
 */
export class ConfigView {
  private cached: Config | null = null;
  private stamp = '';
  /** Files are looked at most this often: a busy coordinator asks many times a second. */
  private checkedAt = 0;
  /**
   * A team's settings are heard of as they change (hearTeamSettings): their stamp in the store is read only when told
   * (recheck), not at every look. A look of its own was a round trip on PostgreSQL every CHECK_EVERY_MS, and in a busy
   * coordinator's turn, before its opening or between its decision and its claims.
   */
  private teamHeard = false;
  private teamStale = true;
  private teamStamp = '';
  private overrides: ServiceOverrides;

  constructor(
    private readonly paths: ProjectPaths,
    overrides: ServiceOverrides,
    private readonly onError: (message: string) => void,
  ) {
    this.overrides = { ...overrides };
  }

  /** A view whose configuration is read already (`now` answers at once). */
  static async open(paths: ProjectPaths, overrides: ServiceOverrides, onError: (message: string) => void): Promise<ConfigView> {
    const view = new ConfigView(paths, overrides, onError);
    await view.current();
    return view;
  }

  get serviceOverrides(): ServiceOverrides {
    return { ...this.overrides };
  }

  /**
   * `wg service reload [flags]`: config.toml is read again and the reload's own flags are the only
   * overrides (those of the start, or an earlier reload, no longer hold), as upstream's reload does.
   */
  async reload(overrides: ServiceOverrides): Promise<void> {
    const previous = this.overrides;
    this.overrides = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    try {
      await this.load(true);
    } catch (error) {
      this.overrides = previous;
      throw error;
    }
  }

  /** Settings, profiles or models were just changed by this process: the next look reads them, not the cached ones. */
  recheck(): void {
    this.checkedAt = 0;
    this.teamStale = true;
  }

  /**
   * The team's settings are heard of from now on: the coordinator's commit watch listens for their announcements (every
   * write of them announces itself, team-settings.ts), and calls this again after each reconnection, when some may have
   * been missed. Their stamp is then read at the next look and after a recheck only.
   */
  hearTeamSettings(): void {
    this.teamHeard = true;
    this.recheck();
  }

  /** Looks at the files now (a `wg` process said it changed something): whether that gave a new configuration. */
  async refresh(): Promise<boolean> {
    const before = this.cached;
    this.recheck();
    await this.load(false);
    return this.cached !== before;
  }

  /** The configuration now: the files (and a team's settings in the store) looked at again if a while has passed. */
  async current(): Promise<Config> {
    await this.load(false);
    return this.cached as Config;
  }

  /**
   * The configuration as last looked at (`current`), without a look: for what must answer at once (a timer's length,
   * a run's record). The coordinator looks at the start of each turn.
   */
  now(): Config {
    if (!this.cached) throw new Error('the configuration was not read yet');
    return this.cached;
  }

  private async load(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && this.cached && now - this.checkedAt < CHECK_EVERY_MS) return;
    this.checkedAt = now;
    // On a team's graph, the team's settings in the store count too: one small query a look. What keeps it
    // from being read (a store out of reach, a config.toml that is a FIFO) is met again by the load below,
    // which says so once and keeps the configuration there is.
    let team = this.teamStamp;
    if (force || !this.teamHeard || this.teamStale) {
      try {
        team = await teamConfigStamp(this.paths);
        this.teamStale = false;
      } catch {
        team = 'unreadable';
      }
      this.teamStamp = team;
    }
    const stamp = `${mtime(this.paths.globalConfig)}:${mtime(this.paths.config)}:${team}`;
    if (!force && this.cached && stamp === this.stamp) return;
    try {
      const { settings, entries } = await loadSettings(this.paths, toSettingOverrides(this.overrides));
      const profiles = await readExecutors(this.paths);
      // A default executor that names nothing is refused like a file that does not parse (a reload
      // says so, a change seen on the side keeps the last good configuration); a start is refused by
      // `wg service start` before the daemon (the window still opens such a project).
      if (this.cached) requireDefaultExecutor(this.paths, entries, profiles);
      this.cached = { settings, entries: await withRoleRoutes(entries, this.paths), profiles, registry: await readModels(this.paths) };
      this.stamp = stamp;
    } catch (error) {
      // Read inside a write that never had the project's write turn: that write fails whole (the next look loads again).
      if (error instanceof WriteEndedError) throw error;
      this.stamp = stamp;
      const message = `config not reloaded: ${errorText(error)}`;
      // Asked for explicitly (start, reload): the caller hears of it. Noticed on the side: keep running.
      if (!this.cached || force) throw error;
      this.onError(message);
    }
  }
}

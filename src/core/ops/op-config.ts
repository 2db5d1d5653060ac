import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { readExecutors } from '../config/executors';
import { loadSettings } from '../config/settings';
import type { OpContext } from './context';

/** The settings and executor profiles an operation goes by: each null when it cannot be read (the operation goes on without). */
export interface OpConfig {
  settings: Settings | null;
  profiles: ExecutorProfile[] | null;
}

/**
 * Where the coordinator runs, its own configuration (ConfigView: config.toml and a team's settings looked at again at
 * most every 200 ms, the team's by their stamp alone), so that an operation's look at the settings reads no team
 * settings of its own; elsewhere the files (and a team's store), the settings and the executors read at once. Asked for
 * before the operation's first await, what it reads of the store travels with the operation's own reads (one round
 * trip to PostgreSQL).
 */
export async function opConfig(ctx: Pick<OpContext, 'paths' | 'config'>): Promise<OpConfig> {
  if (ctx.config) {
    try {
      const { settings, profiles } = await ctx.config();
      return { settings, profiles };
    } catch {
      return { settings: null, profiles: null };
    }
  }
  const [settings, profiles] = await Promise.all([
    loadSettings(ctx.paths).then(
      (loaded) => loaded.settings,
      () => null,
    ),
    readExecutors(ctx.paths).catch(() => null),
  ]);
  return { settings, profiles };
}

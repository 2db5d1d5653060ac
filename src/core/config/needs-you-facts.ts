import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { needsYouSetup, type NeedsYouSetup } from '../../shared/needs-you';
import { loadSettings, DEFAULT_SETTINGS } from './settings';
import { readExecutors } from './executors';
import type { ProjectPaths } from '../project';

/** needs-you.ts's setup from config.toml; an unreadable file counts as the defaults (`wg config` names its problem). */
export async function readNeedsYouSetup(paths: ProjectPaths): Promise<NeedsYouSetup> {
  let settings: Settings = DEFAULT_SETTINGS;
  let profiles: ExecutorProfile[] = [];
  try {
    settings = (await loadSettings(paths)).settings;
    profiles = await readExecutors(paths);
  } catch {
    // The defaults: a manual executor only by its built-in names.
  }
  return needsYouSetup(settings, profiles);
}

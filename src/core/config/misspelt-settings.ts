import { closestName } from '../../shared/closest-name';
import { type ConfigPaths, readGlobalConfig, readProjectLayers } from './project-config';
import { settingKeyNames } from './settings';
import type { TomlTable } from './toml-file';

const isTable = (value: unknown): value is TomlTable => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keys in config.toml's sections of settings that are no setting but two letters or fewer from one ("max_agnets"), one
 * line each, naming the setting meant. Any key this app does not know is ignored (upstream's config.toml has many it has
 * no use for), so a misspelt one was ignored without a word, and its setting kept its default.
 */
export async function misspeltSettings(paths: ConfigPaths): Promise<string[]> {
  const known = new Set(settingKeyNames());
  const lines: string[] = [];
  const files: Array<[string, TomlTable]> = [
    [paths.globalConfig, readGlobalConfig(paths)],
    [paths.config, (await readProjectLayers(paths)).local],
  ];
  for (const [file, table] of files) {
    for (const [group, section] of Object.entries(table)) {
      if (!isTable(section)) continue;
      const fields = [...known].filter((key) => key.startsWith(`${group}.`)).map((key) => key.slice(group.length + 1));
      for (const field of Object.keys(section)) {
        if (field.length < 5 || known.has(`${group}.${field}`)) continue;
        const meant = closestName(field, fields, 2);
        if (meant) lines.push(`${file}: [${group}] ${field} is not a setting, so it is ignored; did you mean ${meant}?`);
      }
    }
  }
  return lines;
}

import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { effectiveSettings, overrideNote, valueText } from '../../src/renderer/pages/settings/effective-settings';
import { currentValues } from '../../src/renderer/pages/settings/setting-fields';

const routed: ConfigEntry = {
  key: 'coordinator.triage_model',
  value: 'opus',
  source: 'local',
  via: 'roles.triage',
  unused: { value: 'haiku', source: 'local' },
};

describe("the settings page where a role's model route comes first", () => {
  it('shows the model triage runs use, and a note that the saved setting is not used', () => {
    const [setting] = effectiveSettings([routed], null);
    expect(setting).toMatchObject({ key: 'coordinator.triage_model', value: 'opus', source: 'local' });
    expect(overrideNote(setting as NonNullable<typeof setting>)).toBe(
      "Saved haiku (project) is not used: triage runs use opus, the triage role's model (Models page, or wg model set triage MODEL).",
    );
    const [running] = effectiveSettings([routed], [routed]);
    expect(overrideNote(running as NonNullable<typeof running>)).toMatch(/^Saved haiku \(project\) is not used/);
  });

  it('the form edits the setting itself', () => {
    expect(currentValues([routed]).triageModel).toBe('haiku');
  });
});

describe('the settings table', () => {
  it('says a duration with its unit, as config.toml cannot (not "3600" and "5" side by side)', () => {
    const entries: ConfigEntry[] = [
      { key: 'agent.timeout', value: 3600, source: 'default', unit: 'seconds' },
      { key: 'agent.heartbeat_timeout', value: 5, source: 'local', unit: 'minutes' },
      { key: 'coordinator.max_agents', value: 4, source: 'local' },
      { key: 'coordinator.model', value: null, source: 'default' },
    ];
    expect(effectiveSettings(entries, null).map(valueText)).toEqual(['3600 s', '5 min', '4', '—']);
    expect(effectiveSettings(entries, entries).map(valueText)).toEqual(['3600 s', '5 min', '4', '—']);
  });
});

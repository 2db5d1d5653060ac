import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { effectiveSettings, overrideNote } from '../../src/renderer/pages/settings/effective-settings';
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

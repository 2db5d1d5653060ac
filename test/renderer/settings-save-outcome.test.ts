import { describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { saveOutcome } from '../../src/renderer/pages/settings/effective-settings';
import { changedInput, currentValues, keysOf, valuesAfterSave } from '../../src/renderer/pages/settings/setting-fields';

const max = (value: number, source: ConfigEntry['source']): ConfigEntry => ({ key: 'coordinator.max_agents', value, source });
const retries = (value: number, source: ConfigEntry['source']): ConfigEntry => ({ key: 'agent.max_retries', value, source });

describe('what the Settings form sends', () => {
  it('sends a value put back, unsets an emptied field, and sends nothing for a field as it was', () => {
    const before = currentValues([max(8, 'local'), retries(5, 'local')]);
    const input = changedInput(before, { ...before, maxAgents: '4', maxRetries: '  ' }, false);
    expect(input).toEqual({ maxAgents: '4', unset: ['agent.max_retries'] });
    expect(keysOf(input)).toEqual(['coordinator.max_agents', 'agent.max_retries']);
    expect(keysOf(changedInput(before, { ...before, maxAgents: ' 8 ' }, true))).toEqual([]);
  });

  it('after a save shows what is saved, but keeps a field changed while it was under way', () => {
    const sent = { maxAgents: '8', maxRetries: '' };
    const saved = { maxAgents: '8', maxRetries: '3' };
    expect(valuesAfterSave(sent, sent, saved)).toMatchObject({ maxAgents: '8', maxRetries: '3' });
    expect(valuesAfterSave(sent, { ...sent, maxAgents: '9' }, saved)).toMatchObject({ maxAgents: '9', maxRetries: '3' });
  });
});

describe('what the Settings form says a save did', () => {
  it('says "Saved" only when a setting it wrote changed, and "Nothing changed" (and why) otherwise', () => {
    expect(saveOutcome([], [max(4, 'default')], [max(4, 'default')], null, false)).toBe(
      'Nothing changed: every field holds its saved value.',
    );
    expect(saveOutcome(['coordinator.max_agents'], [max(8, 'local')], [max(4, 'local')], [max(4, 'local')], false)).toBe(
      'Saved. The running coordinator uses the new settings now.',
    );
    // Emptied where the project's config does not set it: its default applies already.
    expect(saveOutcome(['agent.max_retries'], [retries(3, 'default')], [retries(3, 'default')], null, false)).toBe(
      "Nothing changed: max retries stays 3, the default (this project's config does not set it).",
    );
    // Emptied in the project where the global config sets it.
    expect(saveOutcome(['agent.max_retries'], [retries(6, 'global')], [retries(6, 'global')], null, false)).toBe(
      'Nothing changed: max retries stays 6 from the global config (tick "Write the global config" to change it there).',
    );
    // Written to the global config, where the project's own value wins: saved there, and nothing changes here.
    expect(saveOutcome(['coordinator.max_agents'], [max(8, 'local')], [max(8, 'local')], null, true)).toBe(
      "Saved in the global config, but nothing changes here: max parallel agents stays 8, this project's own value, which wins over the global one.",
    );
    // One changed, one not: saved, and why the other stays.
    expect(
      saveOutcome(
        ['coordinator.max_agents', 'agent.max_retries'],
        [max(8, 'local'), retries(3, 'default')],
        [max(4, 'default'), retries(3, 'default')],
        null,
        false,
      ),
    ).toBe(
      "Saved. The coordinator is not running here: it uses these settings when it starts. Max retries stays 3, the default (this project's config does not set it).",
    );
  });
});

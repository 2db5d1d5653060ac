import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { roundTripsDuring } from '../helpers/round-trips';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

afterEach(() => vi.useRealTimers());

/**
 * A coordinator's configuration on a team's graph (its settings in the store): looked at again at each turn once a while
 * has passed (ConfigView), the team's settings' stamp was a round trip to PostgreSQL each time, before the turn's
 * opening or between its decision and its claims. Once its commit watch listens (hearTeamSettings), their
 * announcements say when they changed: a look reads the stamp only when told.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  it("reads the team's settings' stamp only when told, once their changes are heard", async () => {
    const t = await newStore();
    const { paths } = opContextOn(t);
    if (kind === 'postgres') writeFileSync(paths.config, `[store]\nurl = ${JSON.stringify(t.location)}\n`);
    const config = await ConfigView.open(paths, {}, () => undefined);
    vi.useFakeTimers({ toFake: ['Date'] });
    const later = () => vi.setSystemTime(Date.now() + 60_000);
    // Not heard yet: the stamp is read at a look a while after the last (SQLite has none to read).
    later();
    expect(await roundTripsDuring(() => config.current())).toBe(kind === 'postgres' ? 1 : 0);
    config.hearTeamSettings();
    later();
    expect(await roundTripsDuring(() => config.current())).toBe(kind === 'postgres' ? 1 : 0);
    // Heard: looks a while apart read nothing of the store.
    for (let i = 0; i < 3; i++) {
      later();
      expect(await roundTripsDuring(() => config.current())).toBe(0);
    }
    // Told (an announcement, the coordinator's own config op): read again at the next look.
    config.recheck();
    expect(await roundTripsDuring(() => config.current())).toBe(kind === 'postgres' ? 1 : 0);
    later();
    expect(await roundTripsDuring(() => config.current())).toBe(0);
  });
});

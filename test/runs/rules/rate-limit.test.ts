import { describe, expect, it } from 'vitest';
import { rateLimitIn, runRateLimit } from '../../../src/core/runs/rules/rate-limit';

const now = new Date(2026, 10, 22, 11, 45, 30); // local time: reset times of day are read on this machine's clock
const wait = (texts: string[]) => {
  const limit = rateLimitIn(texts, now);
  return limit === null ? null : (limit.reset_at_ms - now.getTime()) / 1000;
};

describe('rate limits and quotas, as the agent CLIs report them', () => {
  it('Claude Code API-key 429s name no time: a minute', () => {
    expect(wait(["API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later."])).toBe(
      60,
    );
  });

  it("codex's usage limit names a time of day (the next one)", () => {
    const text =
      'You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again at 12:45 PM.';
    // Named to the minute (codex rounds down): the end of that minute, never before the reset.
    expect(wait([text])).toBe(59 * 60 + 30 + 60);
    expect(wait(['Usage limit reached; try again at 9:05 AM.'])).toBe(((24 - 11) * 60 + (5 - 45)) * 60 - 30 + 9 * 3600 + 60);
  });

  it('a reset on another day: codex names the date (the test clock: Nov 22nd, 11:45:30)', () => {
    const text =
      'You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again at Nov 24th, 2026 5:31 AM.';
    expect(wait([text])).toBe(2 * 86400 - (11 * 3600 + 45 * 60 + 30) + 5 * 3600 + 31 * 60 + 60);
    expect(wait(['Usage limit reached; try again at Nov 23rd, 2026 11:45 AM.'])).toBe(86400 - 30 + 60);
    // Without a year, the next such date. A time already past, or more than a week off, is not
    // believed: the default wait applies.
    expect(wait(['weekly limit reached · resets Nov 25, 9am'])).toBe(3 * 86400 - (2 * 3600 + 45 * 60 + 30));
    expect(wait(['Usage limit reached; try again at Nov 21st, 2026 11:45 AM.'])).toBe(3600);
    expect(wait(['weekly limit reached · resets Nov 21, 9am'])).toBe(3600);
  });

  it("a log line's own timestamp, or a time already past, is not the reset time", () => {
    const account =
      'You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again at 12:45 PM.';
    const stderr = `${new Date(now.getTime() - 2000).toISOString()} ERROR codex_core::codex: Turn error: usage limit reached\n`;
    expect(wait([account, stderr])).toBe(59 * 60 + 30 + 60);
    expect(wait([stderr, account])).toBe(59 * 60 + 30 + 60);
    // A time that cannot be read ("at 3" alone) or is past gives way to the next one on the line.
    expect(wait(['rate limit: the window opened at 3; retry after 90s'])).toBe(90);
    expect(wait([`rate limit since ${new Date(now.getTime() - 60_000).toISOString()}, resets at 12:00 PM`])).toBe(14 * 60 + 30 + 60);
  });

  it('durations, unix times and ISO times', () => {
    expect(
      wait(['Rate limit reached for gpt-5 in organization org-x on requests per min (RPM): Limit 3, Used 3. Please try again in 20s.']),
    ).toBe(20);
    expect(wait(['exceeded retry limit, last status: 429 Too Many Requests; retry after 1h 30m'])).toBe(5400);
    expect(wait([`Claude AI usage limit reached|${Math.floor(now.getTime() / 1000) + 7200}`])).toBe(7200);
    expect(wait([`rate limited until ${new Date(now.getTime() + 90_000).toISOString()}`])).toBe(90);
    expect(wait(['5-hour limit reached · resets 3pm'])).toBe((15 - 11) * 3600 - 45 * 60 - 30);
  });

  it('quotas that name no time wait an hour; other failures are not rate limits', () => {
    expect(wait(['Quota exceeded. Check your plan and billing details.'])).toBe(3600);
    expect(wait(['exceeded retry limit, last status: 429 Too Many Requests'])).toBe(60);
    expect(wait(['Prompt is too long', 'error: disk full'])).toBeNull();
    expect(rateLimitIn([null, ''], now)).toBeNull();
  });

  it('says which line named the limit', () => {
    expect(rateLimitIn(['warming up\nexceeded retry limit, last status: 429 Too Many Requests'], now)?.message).toBe(
      'rate limit or quota reached: exceeded retry limit, last status: 429 Too Many Requests',
    );
  });

  it('a time of day named to the minute that is now, or just passed, is moments away, never tomorrow', () => {
    // codex said "6:42 AM" for 06:42:40; a retry at 06:42:00 hit the limit again and read it as the next day.
    const at = (h: number, m: number, sec: number) => new Date(2026, 10, 23, h, m, sec);
    const waitAt = (text: string, when: Date) => ((rateLimitIn([text], when)?.reset_at_ms ?? 0) - when.getTime()) / 1000;
    const said =
      'You’ve hit your usage limit. Upgrade to Pro, visit https://chatgpt.com/settings/usage to purchase more credits or try again at 6:42 AM.';
    expect(waitAt(said, at(6, 41, 50))).toBe(70);
    expect(waitAt(said, at(6, 42, 5))).toBe(55);
    expect(waitAt(said, at(6, 50, 0))).toBe(15);
    // Named to the second: that second.
    expect(waitAt('usage limit reached; try again at 6:42:40 AM', at(6, 42, 0))).toBe(40);
  });

  it("a disk's quota is no rate limit", () => {
    expect(wait(['cp: error writing out.bin: Disk quota exceeded'])).toBeNull();
  });

  it("one rule for local runs and agent daemons' jobs: only a CLI's structured error is a limit", () => {
    const said = 'You’ve hit your usage limit. … try again at 6:42 AM.';
    const waitFor = (run: Parameters<typeof runRateLimit>[0]) => {
      const limit = runRateLimit(run, now);
      return limit === null ? null : (limit.reset_at_ms - now.getTime()) / 1000;
    };
    // 6:42 AM, to the minute: the end of that minute (now is 11:45:30: tomorrow's).
    expect(waitFor({ code: 1, structured: true, account: said })).toBe((24 - 11 + 6) * 3600 + (43 - 45) * 60 - 30);
    // A plain program's or a shell task's text says nothing of a limit, whatever it prints.
    expect(waitFor({ code: 1, structured: false, account: 'FAIL test_429 - expected 429 Too Many Requests' })).toBeNull();
    expect(waitFor({ code: 1, structured: true, account: null })).toBeNull();
    expect(waitFor({ code: 0, structured: true, account: said })).toBeNull();
    expect(waitFor({ code: 1, structured: true, account: 'cp: error writing out.bin: Disk quota exceeded' })).toBeNull();
  });
});

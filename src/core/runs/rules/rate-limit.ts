import type { RateLimit } from '../../deciding/scheduler-types';

/**
 * Rate-limit and quota errors, as the agent CLIs report them (observed against scripted servers):
 * - Claude Code 2.1: result "API Error: Request rejected (429) · <the API's message>" (no reset time
 *   for API-key limits; subscription limits read "… limit reached · resets 3pm" or, older,
 *   "Claude AI usage limit reached|<unix time>");
 * - codex 0.169: turn.failed "exceeded retry limit, last status: 429 Too Many Requests",
 *   "You’ve hit your usage limit. … try again at 12:09 PM." (a later day: "… at Nov 24th, 2026 5:31 AM."), "Quota exceeded. Check your plan and
 *   billing details.", and OpenAI's "Rate limit reached … Please try again in 20s."
 */
const RATE_LIMIT = /\b429\b|rate[ _-]?limit|too many requests/i;
// Not a disk's quota ("Disk quota exceeded", EDQUOT): that one does not lift by waiting.
const QUOTA = /usage limit|limit reached|hit your limit|(?<!disk )quota|insufficient_quota|out of credits/i;

/** When nothing names the time: a short rate limit passes within a minute, a quota takes longer. */
const RATE_LIMIT_WAIT_MS = 60_000;
const QUOTA_WAIT_MS = 60 * 60_000;
/** A named time further off than this is not believed (a misread): the default wait applies. */
const LONGEST_WAIT_MS = 7 * 24 * 60 * 60_000;
/**
 * A time of day named without a date that has just passed (the clocks of the API and this machine
 * differ, or the limit lifted while the run ended) is now, not the same time tomorrow: a day's delay.
 */
const JUST_PASSED_MS = 60 * 60_000;
/** How soon to try again once a named time of day has just passed. */
const JUST_PASSED_WAIT_MS = 15_000;

const UNITS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** "in 20s", "in 1h 30m", "in 2 days 3 hours", "after 45 seconds". */
function afterDuration(text: string): number | null {
  const phrase = /\b(?:in|after)\s+((?:\d+(?:\.\d+)?\s*(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b[\s,and]*)+)/i.exec(
    text,
  );
  if (!phrase?.[1]) return null;
  let ms = 0;
  for (const [, amount, unit] of phrase[1].matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const key = (unit ?? '').toLowerCase().replace(/s$/, '');
    ms += Number(amount) * (UNITS[key] ?? UNITS[(unit ?? '').toLowerCase()] ?? 0);
  }
  return ms > 0 ? ms : null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Each "at 12:09 PM", "resets 3pm", "resets at 15:00" in the text: the next such time of day, on
 * this machine's clock. A reset on another day names the date first, as codex 0.169 does ("try again at Nov 24th, 2026
 * 5:31 AM."; without the year: the next such date): that day's time, not the next time of day.
 */
function timesOfDay(text: string, now: Date): number[] {
  const times: number[] = [];
  for (const match of text.matchAll(
    /\b(?:at|resets)\s+(?:at\s+)?(?:([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?)?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?\b/gi,
  )) {
    const time = timeOfDay(match, now);
    if (time !== null) times.push(time);
  }
  return times;
}

function timeOfDay(match: RegExpMatchArray, now: Date): number | null {
  const [, monthName, day, year] = match;
  let hour = Number(match[4]);
  const minute = Number(match[5] ?? 0);
  const second = match[6] === undefined ? null : Number(match[6]);
  const meridiem = match[7]?.toLowerCase();
  if (!match[5] && !meridiem) return null;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || (second !== null && second > 59)) return null;
  const at = new Date(now);
  // Named to the minute ("6:42 AM" for 06:42:40: codex rounds down), the limit lifts within it: its end,
  // never before. Named to the second, that second.
  if (second === null) at.setHours(hour, minute + (match[5] ? 1 : 0), 0, 0);
  else at.setHours(hour, minute, second, 0);
  if (monthName === undefined) {
    if (at.getTime() > now.getTime()) return at.getTime();
    if (now.getTime() - at.getTime() <= JUST_PASSED_MS) return now.getTime() + JUST_PASSED_WAIT_MS;
    at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0 || Number(day) < 1 || Number(day) > 31) return null;
  at.setFullYear(year === undefined ? now.getFullYear() : Number(year), month, Number(day));
  if (year === undefined && at.getTime() <= now.getTime()) at.setFullYear(at.getFullYear() + 1);
  return at.getTime();
}

/** Unix times after "|" (Claude's older usage-limit line) and ISO 8601 times. */
function absoluteTimes(text: string): number[] {
  const epochs = [...text.matchAll(/\|(\d{10})\b/g)].map((m) => Number(m[1]) * 1000);
  const isos = [...text.matchAll(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g)].map((m) =>
    Date.parse(m[0]),
  );
  return [...epochs, ...isos];
}

/**
 * When to try again: the first time a line that names the limit gives (a time, then a duration)
 * that lies ahead and within a week. Only those lines, and never a time already past: a CLI's log
 * lines on stderr start with their own timestamp (codex: "2026-11-23T00:00:04.1Z ERROR …"),
 * which once stood for the reset time and so meant the default wait.
 */
function namedReset(lines: readonly string[], now: Date): number | null {
  const nowMs = now.getTime();
  for (const line of lines) {
    const after = afterDuration(line);
    const times = [...absoluteTimes(line), ...timesOfDay(line, now), ...(after === null ? [] : [nowMs + after])];
    const ahead = times.find((at) => at > nowMs && at - nowMs <= LONGEST_WAIT_MS);
    if (ahead !== undefined) return ahead;
  }
  return null;
}

const namesLimit = (line: string) => RATE_LIMIT.test(line) || QUOTA.test(line);

/** The first line that names the limit, as the reason to show. */
function messageOf(text: string): string {
  const line = text.split('\n').find(namesLimit) ?? text;
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * Whether a run's account of its failure (and its stderr) is a rate limit or quota error, and when
 * to try again: the time it names, else a default wait. Null for any other failure.
 */
export function rateLimitIn(texts: readonly (string | null | undefined)[], now: Date): RateLimit | null {
  const text = texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '').join('\n');
  const quota = QUOTA.test(text);
  if (!quota && !RATE_LIMIT.test(text)) return null;
  const at = namedReset(text.split('\n').filter(namesLimit), now) ?? now.getTime() + (quota ? QUOTA_WAIT_MS : RATE_LIMIT_WAIT_MS);
  return { reset_at_ms: at, message: `rate limit or quota reached: ${messageOf(text)}` };
}

/** How a run ended, as far as a rate limit goes. */
export interface RunLimitSigns {
  /** Its exit code (null: killed). A run that exited 0 was not stopped by a limit. */
  code: number | null;
  /** Whether its output was an agent CLI's structured stream (Claude's stream-json, codex's JSON lines). */
  structured: boolean;
  /** The CLI's own account of its failure, read from that stream (run-account.ts agentAccount). */
  account: string | null;
}

/**
 * The one rule, for local runs and agent daemons' jobs alike: a rate limit or quota is only what an
 * agent CLI's own structured error says (Claude's result event, codex's turn.failed). Never a shell
 * task's or a plain program's text, nor anything on stderr: a failing rate-limiter test, or "Disk
 * quota exceeded", would otherwise requeue the task forever without counting a retry.
 */
export function runRateLimit(run: RunLimitSigns, now: Date): RateLimit | null {
  if (run.code === 0 || !run.structured || run.account === null) return null;
  return rateLimitIn([run.account], now);
}

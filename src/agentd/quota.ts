/**
 * Recognises a CLI that stopped because its subscription's quota or rate limit ran out, and when it
 * said the limit resets. Phrases as the CLIs print them: Claude Code "Claude AI usage limit
 * reached|<epoch seconds>" and "…limit reached… resets 3pm", API errors "rate_limit_error" / HTTP 429,
 * Codex "You've hit your usage limit… try again in 12 minutes".
 */
const QUOTA = /usage limit|rate[ _-]?limit|quota|too many requests|\b429\b|limit reached/i;

/** When nothing says when: try again after this long. */
const DEFAULT_WAIT_MS = 15 * 60 * 1000;

export function isQuotaError(text: string): boolean {
  return QUOTA.test(text);
}

/** The reset time the text names (epoch after '|', ISO time, "in N seconds/minutes/hours"), else now + 15 min. */
export function quotaResetTime(text: string, now: number): Date {
  const epoch = /\|(\d{10})\b/.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/.exec(text);
  if (iso && Date.parse(iso[0]) > now) return new Date(Date.parse(iso[0]));
  const relative = /(?:in|after)\s+(\d+(?:\.\d+)?)\s*(s|sec|seconds?|m|min|minutes?|h|hours?)\b/i.exec(text);
  if (relative) {
    const unit = (relative[2] ?? 's').toLowerCase();
    const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000;
    return new Date(now + Number(relative[1]) * factor);
  }
  return new Date(now + DEFAULT_WAIT_MS);
}

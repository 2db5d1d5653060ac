import type { RunEvent } from '../../../shared/run-event';

export type TriageVerdict = 'done' | 'running' | 'restart';

/** Words a model may use for each verdict. */
const WORDS: Record<string, TriageVerdict> = {
  done: 'done',
  complete: 'done',
  completed: 'done',
  finished: 'done',
  success: 'done',
  succeeded: 'done',
  running: 'running',
  alive: 'running',
  working: 'running',
  'in-progress': 'running',
  in_progress: 'running',
  waiting: 'running',
  wait: 'running',
  restart: 'restart',
  restarted: 'restart',
  retry: 'restart',
  rerun: 'restart',
  're-run': 'restart',
  requeue: 'restart',
  failed: 'restart',
  incomplete: 'restart',
  unfinished: 'restart',
};
const NEGATIONS = new Set(['not', 'no', 'never', 'isn', 'wasn', 'hasn', 'didn', 'nt', 't']);
const VERDICT_KEYS = ['verdict', 'decision', 'action', 'status', 'answer', 'result'];

/**
 * Reads the triage model's answer leniently: a JSON object with a verdict field, a leading
 * verdict word, "verdict: X", or the last verdict word that is not negated ("not done").
 * Anything unreadable means restart: rerunning costs tokens, a wrong "done" loses the work.
 */
export function parseTriageVerdict(text: string): TriageVerdict {
  return fromJson(text) ?? fromWords(text) ?? 'restart';
}

/** The verdict of a finished triage run: its result text, else everything it said. */
export function triageVerdictFromEvents(events: readonly RunEvent[]): TriageVerdict {
  const result = [...events].reverse().find((e) => e.type === 'result');
  if (result?.type === 'result' && result.text) return parseTriageVerdict(result.text);
  return parseTriageVerdict(events.map((e) => (e.type === 'text' ? e.text : '')).join('\n'));
}

function fromJson(text: string): TriageVerdict | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields = new Map(Object.entries(parsed).map(([k, v]) => [k.toLowerCase(), v] as const));
  for (const key of VERDICT_KEYS) {
    const value = fields.get(key);
    if (typeof value === 'string') {
      const verdict = fromWords(value);
      if (verdict) return verdict;
    }
  }
  return null;
}

function fromWords(text: string): TriageVerdict | null {
  const tokens = text
    .toLowerCase()
    .split(/[^a-z_-]+/)
    .filter((t) => t !== '' && t !== '-');
  const first = tokens[0];
  if (first !== undefined && WORDS[first]) return WORDS[first] ?? null;
  const labelled = /verdict\W{0,5}([a-z_-]+)/i.exec(text)?.[1]?.toLowerCase();
  if (labelled && WORDS[labelled]) return WORDS[labelled] ?? null;
  let last: TriageVerdict | null = null;
  tokens.forEach((token, i) => {
    const verdict = WORDS[token];
    if (!verdict) return;
    const negated = [tokens[i - 1], tokens[i - 2]].some((t) => t !== undefined && NEGATIONS.has(t));
    if (!negated) last = verdict;
  });
  return last;
}

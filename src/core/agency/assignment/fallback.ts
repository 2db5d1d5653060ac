import type { AgentIdentity, Performance, Role } from '../../../shared/agency';

/** An identity the assigner may pick, with what is known of it. */
export interface Candidate {
  identity: AgentIdentity;
  role: Role | undefined;
  performance: Performance;
}

export interface TaskText {
  title: string;
  description: string;
  tags: readonly string[];
}

export interface FallbackChoice {
  identity: AgentIdentity;
  /** Why this one, for the task log. */
  why: string;
}

/** Words that say nothing about what kind of work a task is. */
const STOPWORDS = new Set([
  'the',
  'and',
  'for',
  'with',
  'that',
  'this',
  'from',
  'into',
  'are',
  'was',
  'were',
  'will',
  'its',
  'their',
  'them',
  'then',
  'than',
  'all',
  'any',
  'each',
  'make',
  'makes',
  'made',
  'when',
  'what',
  'which',
  'who',
  'how',
  'not',
  'but',
  'can',
  'has',
  'have',
  'had',
  'one',
  'two',
  'use',
  'used',
  'uses',
  'using',
  'new',
  'more',
  'most',
  'only',
  'also',
  'very',
  'clear',
  'accurate',
  'task',
  'tasks',
  'work',
  'about',
  'should',
  'must',
  'need',
  'needs',
]);

/** Endings cut to reach a word's stem (fixes → fix, testing → test, documenter → document). */
const SUFFIXES = ['ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ers', 'er', 'es', 'ed', 's', 'e'];

function stem(word: string): string {
  for (const suffix of SUFFIXES) if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  return word;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w))
    .map(stem);
}

/** Stems match when equal, or when one begins the other and is at least four letters (program, programm). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** The words a role is known by: its name, its skills' names and descriptions, its own description. */
function roleKeywords(role: Role): string[] {
  const text = [role.name, role.description, ...role.skills.flatMap((s) => [s.name, s.description ?? ''])].join(' ');
  return [...new Set(words(text))];
}

/** A role fits a task when the task's title, description or tags mention one of the role's words. */
export function roleFits(task: TaskText, role: Role): boolean {
  const taskWords = new Set(words([task.title, task.description, ...task.tags].join(' ')));
  const keywords = roleKeywords(role);
  for (const word of taskWords) if (keywords.some((k) => sameStem(word, k))) return true;
  return false;
}

/**
 * When the assigner's model cannot answer (no CLI, a timeout, no usable JSON) — and for `wg assign
 * --auto` — the identity is chosen by rule: the best average score among the identities whose role
 * fits the task; else the default agent; else the first fitting identity never scored; else the first.
 * Returns null only when there is no identity at all.
 */
export function chooseFallback(task: TaskText, candidates: readonly Candidate[], defaultAgentId: string | null): FallbackChoice | null {
  const fitting = candidates.filter((c) => c.role !== undefined && roleFits(task, c.role));
  const scored = fitting
    .filter((c) => c.performance.avg_score !== null)
    .sort(
      (a, b) =>
        (b.performance.avg_score as number) - (a.performance.avg_score as number) ||
        b.performance.evaluations - a.performance.evaluations ||
        a.identity.name.localeCompare(b.identity.name),
    );
  const best = scored[0];
  if (best) {
    const score = (best.performance.avg_score as number).toFixed(2);
    return {
      identity: best.identity,
      why: `best average score (${score} over ${best.performance.evaluations}) among agents whose role fits`,
    };
  }
  const fallback = defaultAgentId ? candidates.find((c) => c.identity.id === defaultAgentId) : undefined;
  if (fallback) return { identity: fallback.identity, why: 'the default agent (no agent whose role fits has a score yet)' };
  const first = fitting[0] ?? candidates[0];
  if (!first) return null;
  return {
    identity: first.identity,
    why: fitting[0] ? 'its role fits (no scores yet, no default agent)' : 'the only choice left (no role fits, no default agent)',
  };
}

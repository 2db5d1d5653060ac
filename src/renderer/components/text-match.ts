const WORD_BREAK = /[^\p{L}\p{N}]+/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * How well a text matches what was typed, best first: 0 the whole text (case, and punctuation between words, aside),
 * 1 a text holding it as whole words ("Step 25" in "Step 25: ship", not "Step 250: …"), 2 a text holding it anywhere, 3 one where each typed word
 * begins a word of it, in any order. A person who types a task's whole title and presses Enter means that task, not
 * the first in graph order whose words merely share its words ("Stage 11: shard 0" and "Stage 0: shard 11").
 */
export type MatchRank = 0 | 1 | 2 | 3;
const RANKS = 4;

/** A letter or digit: ASCII by its code (a search looks at the letters around each place a title holds the query, over
 * every task: a one-letter query on a 50,000-task plan was a keystroke of 60 ms), the rest by Unicode's classes. */
function isWordChar(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return WORD_CHAR.test(char);
}

/** Whether `needle` stands in `haystack` somewhere with no letter or digit just before or after it. */
function holdsAsWords(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (!isWordChar(haystack[at - 1]) && !isWordChar(haystack[at + needle.length])) return true;
  }
  return false;
}

/**
 * What a search box finds: a text holding what was typed (case aside), or one where each typed word begins a word of
 * it, punctuation aside: "hotfix rel" finds "Hotfix: release", which a plain substring search missed for the colon.
 * Gives how well it matches (MatchRank), null for a text it does not find; null for an empty query. Made once per
 * query, then asked of every text (a search runs over every task).
 */
export function textMatcher(query: string): ((text: string) => MatchRank | null) | null {
  const needle = query.trim().toLowerCase();
  if (needle === '') return null;
  const words = needle.split(WORD_BREAK).filter(Boolean);
  // The words typed, punctuation and spacing aside: "Stage 11 process shard 0" is the whole of "Stage 11: process shard 0".
  const phrase = words.join(' ');
  return (text: string) => {
    const haystack = text.toLowerCase();
    if (haystack === needle) return 0;
    if (haystack.includes(needle)) return holdsAsWords(haystack, needle) ? 1 : 2;
    if (words.length === 0) return null;
    const own = haystack.split(WORD_BREAK);
    if (!words.every((word) => own.some((w) => w.startsWith(word)))) return null;
    // Only a text found so is looked at as a phrase (a search runs over every task): one holding the typed words whole
    // and in a row is among them.
    const ownPhrase = own.filter(Boolean).join(' ');
    if (ownPhrase === phrase) return 0;
    return holdsAsWords(ownPhrase, phrase) ? 1 : 3;
  };
}

/** The better of two ranks (a task found by its title and its id is as found as the better of the two). */
export function betterRank(a: MatchRank | null, b: MatchRank | null): MatchRank | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * What a query finds among `items`, the best matches first and, among equally good ones, in the items' own order: at
 * most `limit`, with how many it found in all.
 */
export function rankedMatches<T>(
  items: Iterable<T>,
  rankOf: (item: T) => MatchRank | null,
  limit: number,
): { matches: T[]; total: number } {
  const byRank: T[][] = Array.from({ length: RANKS }, () => []);
  let total = 0;
  for (const item of items) {
    const rank = rankOf(item);
    if (rank === null) continue;
    total++;
    const same = byRank[rank] as T[];
    if (same.length < limit) same.push(item);
  }
  return { matches: byRank.flat().slice(0, limit), total };
}

const WORD_BREAK = /[^\p{L}\p{N}]+/u;

/**
 * What a search box finds: a text holding what was typed (case aside), or one where each typed word begins a word of
 * it, punctuation aside: "hotfix rel" finds "Hotfix: release", which a plain substring search missed for the colon.
 * Null for an empty query. Made once per query, then asked of every text (a search runs over every task).
 */
export function textMatcher(query: string): ((text: string) => boolean) | null {
  const needle = query.trim().toLowerCase();
  if (needle === '') return null;
  const words = needle.split(WORD_BREAK).filter(Boolean);
  return (text: string) => {
    const haystack = text.toLowerCase();
    if (haystack.includes(needle)) return true;
    if (words.length === 0) return false;
    const own = haystack.split(WORD_BREAK);
    return words.every((word) => own.some((w) => w.startsWith(word)));
  };
}

/**
 * Task ids default to a slug of the title, as upstream workgraph's `generate_id` makes it: up to three
 * words, with the numbers among and right after them ("Build the amazing super widget" → build-the-amazing,
 * "Smoke test task 1" → smoke-test-task-1). Letters are folded to ASCII ("Café" → cafe), as ids here are.
 */
export function slugify(title: string): string {
  const tokens = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const kept: string[] = [];
  let words = 0;
  for (const token of tokens) {
    const numeric = /^\d+$/.test(token);
    if (!numeric && words < 3) {
      kept.push(token);
      words++;
    } else if (numeric && words <= 3) kept.push(token);
    else break;
  }
  const slug = kept.join('-').slice(0, 60).replace(/-+$/g, '');
  return slug || 'task';
}

/** First of `base`, `base-2`, `base-3`… that `taken` rejects. */
export function uniqueId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

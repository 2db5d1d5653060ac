/** Measures a text's width in screen pixels at the font it will be drawn in. */
export type Measure = (text: string) => number;

/**
 * Parts joined with " · " onto as few lines as fit `width`; a part never splits, so no count is
 * cut (one wider than the box gets a line of its own). Words of a name are parts too.
 */
export function wrapParts(parts: readonly string[], width: number, measure: Measure, separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const candidate = line ? `${line}${separator}${part}` : part;
    if (!line || measure(candidate) <= width) line = candidate;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface ClusterLabel {
  name: string[];
  /**
   * The counts wrapped to the box: all of them, or where the box is too low, the first (most
   * urgent) that fit and "+N more", N the tasks the others count; empty when not even that fits.
   */
  detail: string[];
}

/**
 * A cluster's name and its counts per state ("8 running", most urgent first), wrapped to the box's
 * width on screen; each count is shown whole or not at all (never cut with an ellipsis), as the
 * box's height allows, and what is left out is counted. Where the name leaves no room for the
 * counts, its short form does ("Stage 10" for "Stage 10 · area-8 (419)", the rest of it in the
 * tooltip): the counts say more than the name's tail.
 */
export function clusterLabel(
  name: string,
  detail: readonly string[],
  box: { width: number; height: number },
  lineHeights: { name: number; detail: number },
  measure: { name: Measure; detail: Measure },
): ClusterLabel {
  const names = [...new Set([name, shortName(name)])].map((text) =>
    wrapParts(text.split(/\s+/).filter(Boolean), box.width, measure.name, ' '),
  );
  const fits = (nameLines: readonly string[], lines: readonly string[]) =>
    nameLines.length * lineHeights.name + lines.length * lineHeights.detail <= box.height;
  const all = wrapParts(detail, box.width, measure.detail);
  for (const nameLines of names) if (fits(nameLines, all)) return { name: nameLines, detail: all };
  for (let shown = detail.length - 1; shown >= 1; shown--) {
    const lines = wrapParts(
      [...detail.slice(0, shown), `+${tasksIn(detail.slice(shown)).toLocaleString()} more`],
      box.width,
      measure.detail,
    );
    for (const nameLines of names) if (fits(nameLines, lines)) return { name: nameLines, detail: lines };
  }
  return { name: names[0] ?? [], detail: [] };
}

/** A name's first part: up to " · " or " (" ("Stage 10 · area-8 (419)" → "Stage 10", "done (58)" → "done"). */
function shortName(name: string): string {
  const cut = name.search(/ · | \(/);
  return cut > 0 ? name.slice(0, cut) : name;
}

/** The tasks a list of counts ("292 waiting", "1,024 done") stands for. */
function tasksIn(parts: readonly string[]): number {
  return parts.reduce((sum, part) => sum + (Number.parseInt(part.replace(/,/g, ''), 10) || 0), 0);
}

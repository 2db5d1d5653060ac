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
  /** Empty when the box is too small on screen to hold every count: then none is drawn (the bar and the tooltip say them). */
  detail: string[];
}

/**
 * A cluster's name and its counts per state, wrapped to the box's width on screen; the counts are
 * shown whole or not at all (never cut with an ellipsis), as the box's height allows.
 */
export function clusterLabel(
  name: string,
  detail: readonly string[],
  box: { width: number; height: number },
  lineHeights: { name: number; detail: number },
  measure: { name: Measure; detail: Measure },
): ClusterLabel {
  const nameLines = wrapParts(name.split(/\s+/).filter(Boolean), box.width, measure.name, ' ');
  const detailLines = wrapParts(detail, box.width, measure.detail);
  const needed = nameLines.length * lineHeights.name + detailLines.length * lineHeights.detail;
  return { name: nameLines, detail: needed <= box.height ? detailLines : [] };
}

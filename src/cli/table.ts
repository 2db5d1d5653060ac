/** Rows as aligned columns (the last column is not padded). */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  // reduce, not Math.max(...): a list of many thousand rows has more than a call's arguments.
  const widths = rows[0]?.map((_, col) => rows.reduce((widest, r) => Math.max(widest, (r[col] ?? '').length), 0)) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/**
 * A day as upstream's date flags take it (chrono's `%Y-%m-%d`): midnight UTC of YYYY-MM-DD. Null for anything else,
 * a day that does not exist too (2024-02-30), so an operation refuses it in one line before reading anything.
 */
export function parseDayDate(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : date;
}

/** "a, b ,c" -> ["a", "b", "c"]: lists typed into one text field. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export const joinList = (items: readonly string[]): string => items.join(', ');

/** '' -> undefined, so optional fields left blank are not sent. */
export const optionalText = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

import { invalid } from '../shared/errors';

/**
 * Splits CLI_ARGS_TEMPLATE (or another flag's text, named by `what` in a refusal) into words the way a shell would for plain quoting: whitespace separates,
 * '…' keeps everything, "…" keeps everything but \" and \\, a backslash outside quotes escapes the next
 * character. Nothing is expanded: the words become argv entries, never a shell line.
 */
export function splitWords(text: string, what = 'CLI_ARGS_TEMPLATE'): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text.charAt(++i);
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw invalid(`${what} has an unclosed ${quote} quote`);
  if (inWord) words.push(current);
  return words;
}

const PLACEHOLDER = /\{(prompt|cwd|model|task_id)\}/g;

/** Each template word with {prompt} {cwd} {model} {task_id} replaced in one pass (a value is never re-read as a template). */
export function fillTemplate(words: readonly string[], values: Record<'prompt' | 'cwd' | 'model' | 'task_id', string>): string[] {
  return words.map((word) => word.replace(PLACEHOLDER, (_, key: keyof typeof values) => values[key]));
}

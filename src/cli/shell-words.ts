import { parse } from 'shell-quote';
import { splitWords } from '../agentd/words';
import { invalid } from '../shared/errors';

/**
 * A flag's text split into arguments as a shell would (quotes, backslashes, comments), with
 * shell-quote: `--args '--message "{prompt}" --model {model}'` is four arguments. No shell runs
 * the command later, so what only a shell could do is refused rather than passed on as text a
 * person did not mean: a variable (`$HOME`), a command substitution, a pipe, `;`, `>`. A glob
 * (`*.ts`) stays the text it is, as a shell leaves a pattern that matches nothing.
 */
export function shellWords(text: string, flag: string): string[] {
  const expanded: string[] = [];
  const entries = parse(text, (name) => {
    expanded.push(name);
    return '';
  });
  refuseUnclosedQuote(text, entries, flag);
  const needsShell = (what: string) =>
    invalid(
      `--${flag}: ${what} needs a shell, and the command runs without one: write the value itself, or use --command sh --${flag} "-c '…'"`,
    );
  if (expanded.length > 0) throw needsShell(`$${expanded[0]}`);
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('comment' in entry) break;
    else if (entry.op === 'glob') words.push(entry.pattern);
    else throw needsShell(`'${entry.op}'`);
  }
  return words;
}

/**
 * shell-quote reads an unclosed quote as closed at the end (`'x` is `x`, `"{prompt} --model {model}` four
 * words), where a shell would refuse the line: the value was cut short, and saving what is left runs a
 * command nobody wrote. The agent daemon's template splitter (src/agentd/words.ts) already refuses it
 * for CLI_ARGS_TEMPLATE; its check is the one used here, naming this flag. A comment
 * is left out first, since a quote inside one (`# it's`) is text, as in a shell.
 */
function refuseUnclosedQuote(text: string, entries: Awaited<ReturnType<typeof parse>>, flag: string): void {
  const comment = entries.find((entry) => typeof entry === 'object' && 'comment' in entry);
  const tail = comment && 'comment' in comment ? `#${comment.comment}` : '';
  const checked = tail && text.endsWith(tail) ? text.slice(0, -tail.length) : text;
  splitWords(checked, `--${flag}`);
}

/**
 * Reassembles lines from chunks split anywhere. Keeps the unfinished tail until the next chunk
 * (or `end()`). A line longer than `maxLine` characters is handed out in pieces of at most
 * `piece` characters as it arrives, so one endless line never grows memory (or one event)
 * without bound.
 */
export class LineBuffer {
  private pending = '';
  /** The line now arriving already went past maxLine: all of it goes out in pieces. */
  private overlong = false;

  constructor(
    private readonly maxLine = Number.POSITIVE_INFINITY,
    private readonly piece = maxLine,
  ) {}

  push(chunk: string): string[] {
    const out: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      const line = this.pending + chunk.slice(start, newline);
      this.pending = '';
      this.emit(out, line, true);
      start = newline + 1;
    }
    // Only the new part is scanned, so a huge line arriving in many chunks stays linear.
    this.pending += chunk.slice(start);
    if (this.pending.length > (this.overlong ? this.piece : this.maxLine)) this.pending = this.emit(out, this.pending, false);
    return out;
  }

  /** The last line when output did not end with a newline. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    const out: string[] = [];
    if (rest !== '') this.emit(out, rest, true);
    return out;
  }

  /** Adds `text` to `out` (in pieces once it is too long); returns what is left when `whole` is false (a line still going on). */
  private emit(out: string[], text: string, whole: boolean): string {
    let rest = text;
    if (rest.length > this.maxLine) this.overlong = true;
    while (this.overlong && rest.length > this.piece) {
      // Never between the two halves of a surrogate pair.
      const cut = isHighSurrogate(rest.charCodeAt(this.piece - 1)) ? this.piece - 1 : this.piece;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (!whole) return rest;
    if (!this.overlong || rest !== '') out.push(stripCarriageReturn(rest));
    this.overlong = false;
    return '';
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

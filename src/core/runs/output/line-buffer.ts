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
      this.add(out, chunk.slice(start, newline));
      this.finish(out);
      start = newline + 1;
    }
    // Only the new part is scanned, so a huge line arriving in many chunks stays linear.
    this.add(out, chunk.slice(start));
    return out;
  }

  /** The last line when output did not end with a newline. */
  end(): string[] {
    const out: string[] = [];
    if (this.pending !== '') this.finish(out);
    return out;
  }

  /**
   * Adds `text` to the line arriving, handing out full pieces once it is too long. A piece is built
   * from the held part and the new text's head, never by joining all of both and cutting that: the
   * join of a held piece and a whole chunk (two 64 KB halves) was one flat string over V8's 128 KB
   * large-object size per step, which only a full collection frees, and the daemon's memory climbed
   * with it while a long line streamed in.
   */
  private add(out: string[], text: string): void {
    if (!this.overlong && this.pending.length + text.length <= this.maxLine) {
      this.pending += text;
      return;
    }
    this.overlong = true;
    let rest = text;
    while (this.pending.length + rest.length > this.piece) {
      if (this.pending.length >= this.piece) {
        const cut = pieceEnd(this.pending, this.piece);
        out.push(this.pending.slice(0, cut));
        this.pending = this.pending.slice(cut);
        continue;
      }
      // 0 when the held part is one short of a piece and the text starts with a surrogate pair: the held part goes alone.
      const take = pieceEnd(rest, this.piece - this.pending.length);
      out.push(this.pending + rest.slice(0, take));
      this.pending = '';
      rest = rest.slice(take);
    }
    this.pending += rest;
  }

  /** The line ended: what is left of it goes out (an overlong line's empty remainder does not). */
  private finish(out: string[]): void {
    const rest = this.pending;
    this.pending = '';
    if (!this.overlong || rest !== '') out.push(stripCarriageReturn(rest));
    this.overlong = false;
  }
}

/** Where a piece of at most `length` characters of `text` ends: never between the two halves of a surrogate pair. */
function pieceEnd(text: string, length: number): number {
  return isHighSurrogate(text.charCodeAt(length - 1)) ? length - 1 : length;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

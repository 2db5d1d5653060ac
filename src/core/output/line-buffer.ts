/**
 * Reassembles lines from chunks split anywhere. Keeps the unfinished tail until the next chunk
 * (or `end()`); a tail longer than `maxPending` is handed out as if it were a line, so one
 * endless line cannot grow memory without bound (parsers that need whole lines leave it unset).
 */
export class LineBuffer {
  private pending = '';

  constructor(private readonly maxPending = Number.POSITIVE_INFINITY) {}

  push(chunk: string): string[] {
    // Only the new chunk is scanned, so a huge line arriving in many chunks stays linear.
    if (!chunk.includes('\n')) {
      this.pending += chunk;
      return this.pending.length > this.maxPending ? [stripCarriageReturn(this.take())] : [];
    }
    const parts = chunk.split('\n');
    parts[0] = this.pending + (parts[0] ?? '');
    this.pending = parts.pop() ?? '';
    if (this.pending.length > this.maxPending) parts.push(this.take());
    return parts.map(stripCarriageReturn);
  }

  /** The last line when output did not end with a newline. */
  end(): string[] {
    const rest = this.take();
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }

  private take(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

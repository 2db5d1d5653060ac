import { readFileSync } from 'node:fs';

/** One line run-hops-recorder.cjs wrote: when (µs), which process, the hop, and its key ('-' when it has none). */
export interface RunHopLine {
  at: number;
  proc: string;
  event: string;
  key: string;
}

/** The lines of a trace the recorder wrote, in the file's order. */
export function readRunHops(file: string): RunHopLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [at = '', proc = '', event = '', key = '-'] = line.split(' ');
      return { at: Number(at), proc, event, key };
    });
}

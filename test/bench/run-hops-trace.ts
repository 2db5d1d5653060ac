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

/**
 * A traced bench run named by the tool's argument PREFIX: its samples (PREFIX.samples.json, as the bench wrote them) and
 * its hops in time order (PREFIX.trace). `tool`: the tool's file name, for its usage line.
 */
export function readTracedRun<Sample>(tool: string): { prefix: string; samples: Sample[]; lines: RunHopLine[] } {
  const prefix = process.argv[2];
  if (!prefix) throw new Error(`usage: ${tool} PREFIX (PREFIX.trace and PREFIX.samples.json)`);
  const samples = JSON.parse(readFileSync(`${prefix}.samples.json`, 'utf8')) as Sample[];
  return { prefix, samples, lines: readRunHops(`${prefix}.trace`).sort((a, b) => a.at - b.at) };
}

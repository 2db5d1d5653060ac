import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Timestamps of each hop of a run's life (claim, start, command, end, settle), for finding where
 * the time between one run's end and the next one's start goes (test/bench/run-trace-report.ts).
 * Switched on by WG_TRACE_RUNS=<file> in the coordinator's environment; `traceRun` is then a
 * function, else null, and every call site is written `traceRun?.(...)`, which skips evaluating
 * its arguments: off, it costs one null check.
 *
 * A line is `MICROSECONDS PROCESS EVENT KEY`: wall-clock µs, the writer (`d`: the coordinator), the
 * hop, and the run's key (its agent id, the run folder's name; a turn lists several,
 * comma-separated, or `-`).
 */
const TRACE_ENV = 'WG_TRACE_RUNS';

/** Lines are kept and written in batches, so tracing itself stays off the measured path as far as possible. */
const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 200;

function tracer(file: string, proc: string): (event: string, key: string) => void {
  const fd = openSync(file, 'a');
  let lines: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (lines.length === 0) return;
    // One write of whole lines to a file opened for appending: writers in other processes never split it.
    writeSync(fd, lines.join(''));
    lines = [];
    bytes = 0;
  };
  process.on('exit', () => {
    flush();
    closeSync(fd);
  });
  return (event, key) => {
    const line = `${Math.round((performance.timeOrigin + performance.now()) * 1000)} ${proc} ${event} ${key === '' ? '-' : key}\n`;
    lines.push(line);
    bytes += line.length;
    if (bytes >= FLUSH_BYTES) flush();
    else if (!timer) {
      timer = setTimeout(flush, FLUSH_MS);
      timer.unref();
    }
  };
}

const file = process.env[TRACE_ENV]?.trim() ?? '';

/** Null unless WG_TRACE_RUNS names a file; `proc` is set by the process that writes (see runTraceAs). */
export let traceRun: ((event: string, key: string) => void) | null = null;

/** Names this process in the trace (the coordinator calls it once at start). */
export function runTraceAs(proc: 'd'): void {
  if (file !== '' && traceRun === null) traceRun = tracer(file, proc);
}

/** A run's key in the trace: its run folder's name (the agent id). */
export function traceKey(runDir: string): string {
  return basename(runDir);
}

// Loaded into the coordinator daemon by the dispatch bench (NODE_OPTIONS=--require <this file>, with
// WG_TRACE_RUNS=<file>): records each hop of a run's life that the daemon publishes on the
// 'workgraph:run-hop' diagnostics channel (src/core/timing/run-hops.ts), one line each, for
// test/bench/run-trace-report.ts and latency-hops.ts (read by run-hops-trace.ts). A line is `MICROSECONDS d EVENT KEY`.
const { subscribe } = require('node:diagnostics_channel');
const { closeSync, openSync, writeSync } = require('node:fs');

const file = process.env.WG_TRACE_RUNS?.trim() ?? '';
if (file !== '') {
  let fd = null;
  let lines = [];
  let timer = null;
  // Lines are written in batches so that recording stays off the measured path as far as it can.
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (lines.length === 0) return;
    fd ??= openSync(file, 'a');
    // One write of whole lines to a file opened for appending: another process's writes never split it.
    writeSync(fd, lines.join(''));
    lines = [];
  };
  process.on('exit', () => {
    flush();
    if (fd !== null) closeSync(fd);
  });
  subscribe('workgraph:run-hop', ({ event, key }) => {
    lines.push(`${Math.round((performance.timeOrigin + performance.now()) * 1000)} d ${event} ${key === '' ? '-' : key}\n`);
    if (lines.length >= 512) flush();
    else if (!timer) {
      timer = setTimeout(flush, 200);
      timer.unref();
    }
  });
}

import { Utf8Feed } from '../../../src/core/runs/output';
import type { OutputParser } from '../../../src/core/executors/launch';
import type { RunEvent } from '../../../src/shared/run-event';

/** Feeds `bytes` cut at the given offsets (as a pipe might deliver them) and collects the events. */
export function feedSplit(parser: OutputParser, bytes: Buffer, cuts: number[]): RunEvent[] {
  const feed = new Utf8Feed(parser);
  const events: RunEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...feed.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...feed.end());
  return events;
}

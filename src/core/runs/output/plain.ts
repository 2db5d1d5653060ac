import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { LineBuffer } from './line-buffer';

/** A line longer than this is cut into pieces rather than held in memory until its newline (kept below V8's 128 KB large-object size). */
export const MAX_LINE = 64 * 1024;

/** Output of shell and cli executors: one `text` event per line (the run log is indexed per event). */
export function plainParser(): OutputParser {
  const lines = new LineBuffer(MAX_LINE);
  const toEvents = (batch: string[]): RunEvent[] => batch.map((text) => ({ type: 'text', text }));
  return {
    push: (chunk) => toEvents(lines.push(chunk)),
    end: () => toEvents(lines.end()),
  };
}

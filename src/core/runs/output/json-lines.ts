import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { LineBuffer } from './line-buffer';
import { parseJsonObject, type JsonRecord } from './narrow';

export interface JsonLineHandler {
  /** Events for one parsed JSON object (the raw line is given for `raw` fallbacks). */
  line(object: JsonRecord, raw: string): RunEvent[];
  /** Events owed when the stream ends (e.g. a result never printed). */
  finish?(): RunEvent[];
}

/** A JSON event longer than this is not parsed but kept as raw pieces (memory stays bounded). */
const MAX_JSON_LINE = 4 * 1024 * 1024;
/** The size of those pieces, as the plain parser's lines. */
const RAW_PIECE = 64 * 1024;

/**
 * Shared plumbing of the JSON-lines normalizers: line reassembly, blank lines skipped, anything
 * that is not a JSON object kept as `raw`, and a handler that throws never breaks the stream.
 */
export function jsonLinesParser(handler: JsonLineHandler): OutputParser {
  const lines = new LineBuffer(MAX_JSON_LINE, RAW_PIECE);
  const handle = (batch: string[]): RunEvent[] => {
    const events: RunEvent[] = [];
    for (const raw of batch) {
      if (raw.trim() === '') continue;
      const object = parseJsonObject(raw);
      if (!object) {
        events.push({ type: 'raw', text: raw });
        continue;
      }
      try {
        for (const event of handler.line(object, raw)) events.push(event);
      } catch {
        events.push({ type: 'raw', text: raw });
      }
    }
    return events;
  };
  return {
    push: (chunk) => handle(lines.push(chunk)),
    end: () => {
      const events = handle(lines.end());
      try {
        for (const event of handler.finish?.() ?? []) events.push(event);
      } catch {
        // A summary that cannot be built is simply not emitted.
      }
      return events;
    },
  };
}

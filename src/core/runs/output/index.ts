import type { OutputFormat, OutputParser } from '../../executors/launch';
import { claudeStreamParser } from './claude-stream';
import { codexJsonParser } from './codex-json';
import { plainParser } from './plain';

/** A fresh streaming parser for a launch's `output` format (one per run: parsers keep state). */
export function createOutputParser(format: OutputFormat): OutputParser {
  switch (format) {
    case 'claude-stream-json':
      return claudeStreamParser();
    case 'codex-json':
      return codexJsonParser();
    case 'plain':
      return plainParser();
  }
}

export { claudeStreamParser, codexJsonParser, plainParser };
export { autoDetectParser } from './auto-detect';
export { Utf8Feed } from './utf8-feed';

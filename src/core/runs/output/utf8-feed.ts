import { StringDecoder } from 'node:string_decoder';
import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';

/**
 * Feeds raw stdout bytes to a parser. A chunk may end inside a multi-byte UTF-8 character;
 * the decoder holds those bytes back until the rest arrives, so no character is mangled.
 */
export class Utf8Feed {
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly parser: OutputParser) {}

  push(chunk: Buffer): RunEvent[] {
    return this.parser.push(this.decoder.write(chunk));
  }

  end(): RunEvent[] {
    const rest = this.decoder.end();
    return [...(rest ? this.parser.push(rest) : []), ...this.parser.end()];
  }
}

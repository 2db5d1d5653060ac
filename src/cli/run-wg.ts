import { errorText, WgError } from '../shared/errors';
import { appVersion } from '../core/app-version';
import { plainText } from '../core/text/plain-text';
import type { CliIo } from './cli-io';

/**
 * One `wg` command, from its arguments to its exit code, writing to `io`: the one entry the bin (main.ts) and
 * the tests that run `wg` in-process share, so both get the same bytes and the same code. It loads only what
 * the command needs: the command table (commander and the op registry's schemas) is its own chunk, and each
 * command's implementation is imported when it runs.
 */
export async function runWg(args: readonly string[], io: CliIo): Promise<number> {
  try {
    if (asksVersionOnly(args)) {
      io.stdout.write(`${args.includes('--json') ? JSON.stringify({ version: appVersion() }) : appVersion()}\n`);
      return 0;
    }
    const { runProgram } = await import('./program');
    return await runProgram(args, io);
  } catch (error) {
    return failed(error, io);
  }
}

/** One line for any failure, and its exit code; nothing was changed by then (one transaction). */
export async function failed(error: unknown, io: CliIo): Promise<number> {
  let message: string;
  if (error instanceof WgError) message = error.message;
  else {
    const { plainFailure } = await import('../shared/plain-failure');
    message = plainFailure(error) ?? errorText(error);
  }
  io.stderr.write(`wg: ${plainText(message.split('\n')[0] ?? '')}\n`);
  return error instanceof WgError && error.code === 'not_found' ? 3 : 1;
}

/** `wg --version` (or `-V`) alone, with global flags at most: answered before anything else is loaded. */
function asksVersionOnly(args: readonly string[]): boolean {
  return (
    args.length > 0 &&
    args.every((arg) => arg === '--version' || arg === '-V' || arg === '--json') &&
    !args.every((arg) => arg === '--json')
  );
}

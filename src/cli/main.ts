import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorText, WgError } from '../shared/errors';
import { appVersion } from './version';
import { plainText } from '../core/text/plain-text';

/**
 * The `wg` entry point. It loads only what the command needs: the command table (commander and the op
 * registry's schemas) is its own chunk, and each command's implementation is imported when it runs. Every
 * agent calls `wg` many times, so its start is what people and agents feel (issue 30; npm run bench:cli).
 */

/**
 * Node 22.1+ (and the packaged app's Node) keep the compiled chunks between runs, so a start does not
 * compile them again; Node 20 has no such cache. It lives in this user's own folder: one in a shared /tmp
 * could be planted by another user. A folder that cannot be written just leaves the cache off.
 */
function keepCompiledCode(): void {
  const withCache = module as { enableCompileCache?: (directory?: string) => unknown };
  withCache.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(homedir(), '.cache', 'workgraph', 'node-compile-cache'));
}

/** Prints one line for any failure and exits nonzero; nothing was changed by then (one transaction). */
export async function fail(error: unknown): Promise<never> {
  let message: string;
  if (error instanceof WgError) message = error.message;
  else {
    const { plainFailure } = await import('../shared/plain-failure');
    message = plainFailure(error) ?? errorText(error);
  }
  process.stderr.write(`wg: ${plainText(message.split('\n')[0] ?? '')}\n`);
  process.exit(error instanceof WgError && error.code === 'not_found' ? 3 : 1);
}

/** `wg --version` (or `-V`) alone, with global flags at most: answered before anything else is loaded. */
function asksVersionOnly(args: string[]): boolean {
  return (
    args.length > 0 &&
    args.every((arg) => arg === '--version' || arg === '-V' || arg === '--json') &&
    !args.every((arg) => arg === '--json')
  );
}

/**
 * A reader that stops early (`wg list | head`) closes the pipe: the rest of the output is not wanted, and
 * that is no failure, so `wg` ends quietly instead of printing Node's EPIPE stack trace.
 */
function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    void fail(error);
  });
}

export async function main(argv: string[]): Promise<void> {
  keepCompiledCode();
  endQuietlyOnClosedPipe();
  if (asksVersionOnly(argv.slice(2))) {
    process.stdout.write(`${argv.includes('--json') ? JSON.stringify({ version: appVersion() }) : appVersion()}\n`);
    return;
  }
  const { runProgram } = await import('./program');
  await runProgram(argv);
}

main(process.argv).catch(fail);

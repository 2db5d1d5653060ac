import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli-io';
import { keepChunkCode } from './code-cache';
import { failed, runWg } from './run-wg';

/**
 * The `wg` entry point: the process around run-wg.ts (its streams, its exit). Every agent calls `wg` many
 * times, so its start is what people and agents feel (npm run bench:cli).
 */

/**
 * `wg` keeps V8's code of its chunks between runs (code-cache.ts), on every Node: Node's own compile cache (22.1 and
 * later) keeps what V8 made as it compiled a module, before it ran, so the functions a command compiles as it runs (most
 * of them) were compiled again at every start. NODE_DISABLE_COMPILE_CACHE turns it off as it does Node's. It lives in
 * this user's own folder: one in a shared /tmp could be planted by another user. A folder that cannot be written just
 * leaves it off.
 */
function keepCompiledCode(): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const given = process.env.NODE_COMPILE_CACHE;
  const folder = given || join(homedir(), '.cache', 'workgraph', 'node-compile-cache');
  keepChunkCode(join(folder, `wg-v8-${process.versions.v8}`), dirname(fileURLToPath(import.meta.url)), !given);
}

const io: CliIo = { stdout: process.stdout, stderr: process.stderr, readStdin: () => readFileSync(0, 'utf8'), exitCode: 0 };

/**
 * A reader that stops early (`wg list | head`) closes the pipe: the rest of the output is not wanted, and
 * that is no failure, so `wg` ends quietly instead of printing Node's EPIPE stack trace.
 */
function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    void failed(error, io).then((code) => process.exit(code));
  });
}

/**
 * A command that ends nonzero ends the process at once (a failure leaves nothing to finish, and a
 * connection left open must not keep it alive); one that succeeds ends when its work is done.
 */
async function main(): Promise<void> {
  keepCompiledCode();
  endQuietlyOnClosedPipe();
  // Held until the command is done: its database connections do not hold the process while idle, and a command whose
  // last step waits on them must still say how it ended (a failing `wg show` on PostgreSQL ended with exit 0 and
  // nothing said, its wait for the connection's answer cut short).
  const held = setInterval(() => undefined, 1 << 30);
  const code = await runWg(process.argv.slice(2), io);
  clearInterval(held);
  if (code !== 0) process.exit(code);
}

void main();

import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/*
 * Every command that takes an output path writes it as every Unix tool does (issue 74, item 4): a character device, a
 * FIFO or a link to a pipe (/dev/stdout) is written in place, and only a regular file (or a new one) is replaced
 * whole. A rename over /dev/null, as root, left a regular file there for every program on the machine. Nodes made in
 * a temporary folder stand for the machine's own (mknod needs root: those cases are skipped without it).
 */

const p = new TempProject('wg-output-paths-');
const here = (name: string) => join(p.root, 'out', name);
const isRoot = process.getuid?.() === 0;
const run = promisify(execFile);

/** The commands that take an output path, each as `wg ARGS PATH`. */
const WRITERS: Array<[string, string[]]> = [
  ['wg export --out', ['export', '--out']],
  ['wg trace export -o', ['trace', 'export', '--root', 'first', '-o']],
  ['wg func extract --output', ['func', 'extract', 'first', '--force', '--output']],
];

beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'First', '--id', 'first']);
  await p.ok(['done', 'first']);
  mkdirSync(join(p.root, 'out'));
});
afterAll(() => p.remove());

/**
 * `wg ARGS` as a process whose standard output is a pipe, as a shell's `wg … | less` gives it (a child's output
 * from Node is a socket, which /proc/self/fd/1 cannot be opened on, as `echo > /dev/stdout` cannot there).
 */
async function wgOk(args: string[]): Promise<string> {
  const { stdout } = await run('bash', ['-c', 'set -o pipefail; node "$0" "$@" | cat', WG_BIN, ...args], {
    cwd: p.root,
    env: { ...process.env, ...p.env },
    encoding: 'utf8',
  });
  return stdout;
}

describe.each(WRITERS)('%s', (name, args) => {
  const slug = name.replace(/\W+/g, '-');

  it.skipIf(!isRoot)('into a character device (mknod, as /dev/null is): written into, still the device', async () => {
    const device = here(`${slug}-null`);
    execFileSync('mknod', [device, 'c', '1', '3']);
    await wgOk([...args, device]);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readFileSync(device, 'utf8')).toBe('');
  });

  it('into a FIFO with a reader: the reader gets it all, and it stays a FIFO', async () => {
    const fifo = here(`${slug}-fifo`);
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<number | null>((resolve) => reader.on('close', resolve));
    await wgOk([...args, fifo]);
    // Renamed over instead, the FIFO would never get its writer, and its reader would wait for good.
    const waited = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting for a writer'), 10_000).unref());
    const code = await Promise.race([ended, waited]);
    reader.kill();
    expect(code).toBe(0);
    const read = Buffer.concat(chunks).toString('utf8');
    expect(read).toContain('first');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('through a link to its standard output (as /dev/stdout is): the output reaches the pipe, the link stays', async () => {
    const link = here(`${slug}-stdout`);
    symlinkSync('/proc/self/fd/1', link);
    const stdout = await wgOk([...args, link]);
    expect(stdout).toContain('first');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a regular file is still replaced whole, as before', async () => {
    const file = here(`${slug}-file`);
    await wgOk([...args, file]);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('first');
  });
});

import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Compiling the chunks a `wg show` loads was a third of its CPU on Node 20 (npm run bench:cli), which has no compile
 * cache, and Node's own (module.enableCompileCache, 22.1 and later) keeps only the code V8 made as it compiled a module,
 * before it ran: the functions a command compiles as it runs were compiled again at every start (`wg show` 76.5 against
 * 61.0 ms of CPU on Node 24.22 with this instead, `wg list` 100.9 against 87.8). So `wg` keeps V8's code of its own chunks
 * itself: each chunk is compiled with the code kept by the run before, and a chunk that had none, or whose code V8
 * refused, has its code written at exit, once the command has run (so the functions it called are in it, not only the
 * chunk's top level).
 *
 * Only the chunks beside the entry whose name carries their content's hash (`program-BaeUs3xp.cjs`, scripts/build-cli.mjs)
 * are kept, under that name: another build's chunk has another name. V8 checks the rest itself (its version, its flags,
 * the source's length) and refuses code that does not fit, which is then compiled from source as usual; unreadable
 * code is ignored the same way.
 *
 * Every build leaves its own files (about a megabyte for what `wg show` loads), so a start that writes code also drops
 * what no build has written for a month (pruneKept): the code of the builds a person upgraded from.
 */

/** Node's CommonJS module as far as compiling one is concerned (node:module's types leave these out). */
interface LoadedModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleInternals {
  prototype: LoadedModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoadedModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: LoadedModule): string[] | null;
  _cache: Record<string, unknown>;
  _extensions: Record<string, unknown>;
}

const HASHED_CHUNK = /-[\w-]{8}\.cjs$/;

/**
 * How long kept code of a chunk this build does not have stays: a file is written once, at a build's first start, so
 * its age is its build's. Another build still in use beside this one (a second install) loses code older than this and
 * writes it again at its next start: once a month at most.
 */
const KEPT_FOR_MS = 30 * 24 * 3600 * 1000;

/** The folders of kept code, one per V8 version (a Node upgrade leaves the last one's behind). */
const KEPT_FOLDER = /^wg-v8-/;

/** The folders Node's own compile cache made where earlier builds of `wg` pointed it (`v24.11.1-x64-5a3e8f2c-0`). */
const NODE_CACHE_FOLDER = /^v\d+\.\d+\.\d+-/;

/**
 * Keeps the code of the chunks in `chunks` (the bundle's folder) in `folder`, a folder of this user's own: one that
 * another user owns or may write in, or that is a link, is not used (code read from it would run as this user). Not with
 * --enable-source-maps (the app's development builds): Node 20 maps the stack traces of the code its loader compiles,
 * not of code compiled by node:vm. `ours`: the folder beside it is `wg`'s alone (not one NODE_COMPILE_CACHE names), so
 * what Node's own compile cache left there for earlier builds is pruned too.
 */
export function keepChunkCode(folder: string, chunks: string, ours = false): void {
  if (process.sourceMapsEnabled || !ownFolder(folder)) return;
  const internals = Module as unknown as ModuleInternals;
  const compile = internals.prototype._compile;
  const unkept: Array<{ file: string; script: Script }> = [];
  internals.prototype._compile = function compileWithKeptCode(this: LoadedModule, content: string, filename: string): unknown {
    if (dirname(filename) !== chunks || !HASHED_CHUNK.test(filename)) return compile.call(this, content, filename);
    const file = join(folder, basename(filename));
    const cachedData = keptCode(file);
    const script = new Script(internals.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected === true) unkept.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this, internals), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { file, script } of unkept) keep(file, script.createCachedData());
    if (unkept.length > 0) pruneKept(folder, chunks, Date.now() - KEPT_FOR_MS, ours);
  });
}

/**
 * Drops from `folder` the kept code of chunks this build (`chunks`) does not have, and a write cut short, written before
 * `before`; and beside it the folders of other V8 versions nothing was written in since then (and, in a folder of `wg`'s
 * own, Node's compile cache's). Only this user's own files and folders, never through a link; what cannot be removed
 * stays.
 */
function pruneKept(folder: string, chunks: string, before: number, ours: boolean): void {
  const current = new Set(namesIn(chunks));
  for (const name of namesIn(folder)) if (!current.has(name)) forgetIfOlder(join(folder, name), before);
  const parent = dirname(folder);
  for (const name of namesIn(parent)) {
    const left = KEPT_FOLDER.test(name) || (ours && NODE_CACHE_FOLDER.test(name));
    if (left && name !== basename(folder)) forgetIfOlder(join(parent, name), before);
  }
}

function namesIn(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function forgetIfOlder(path: string, before: number): void {
  try {
    const stat = lstatSync(path);
    const own = process.getuid === undefined || stat.uid === process.getuid();
    if (own && !stat.isSymbolicLink() && stat.mtimeMs < before) rmSync(path, { recursive: true, force: true });
  } catch {
    // Gone meanwhile, or not ours to remove: left as it is.
  }
}

/** `require` inside a module, as Node's own loader gives it (what the chunks use of it: calling it, and `require.main`). */
function requireOf(module: LoadedModule, internals: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.cache = internals._cache as NodeJS.Require['cache'];
  require.extensions = internals._extensions as NodeJS.Require['extensions'];
  return require;
}

function ownFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    // Another user who may write in it could put code there (Windows has no such owner or bits here: its profile folder).
    return stat.isDirectory() && (process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

function keptCode(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a rename), so a start running beside this one never reads half of it. */
function keep(file: string, code: Buffer): void {
  const partial = `${file}.${process.pid}`;
  try {
    writeFileSync(partial, code, { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A full disk or a folder made read-only leaves the code unkept: the next start compiles it again.
    forget(partial);
  }
}

function forget(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Left as it is: its name, with a process id, is never read as kept code.
  }
}

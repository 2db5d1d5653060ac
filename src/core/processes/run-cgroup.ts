import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A cgroup v2 per run, where the system lets this process make one: a child of its own cgroup
 * (a delegated subtree, such as a systemd user service with `Delegate=yes`, or any cgroup when
 * running as root). Every process of a run stays in its cgroup whatever it does (setsid, double
 * fork, a scrubbed environment), and `cgroup.kill` (Linux 5.14+) ends all of them at once.
 * Where this is not possible, runs are found by the marker in their environment instead
 * (run-processes.ts); both are used where both work.
 */

/** The prefix of a run's cgroup folder; the rest is its run id. */
const PREFIX = 'wg-run-';

let cachedBase: string | null | undefined;

/** Where this process's own cgroup v2 lives in the file system, or null (no v2, or not ours to extend). */
export function cgroupBase(): string | null {
  if (cachedBase !== undefined) return cachedBase;
  cachedBase = findBase();
  return cachedBase;
}

/** Tests pin or reset the answer (e.g. to exercise the marker-only path). */
export function setCgroupBaseForTests(base: string | null | undefined): void {
  cachedBase = base;
}

function findBase(): string | null {
  if (process.platform !== 'linux' || process.env.WG_NO_CGROUP === '1') return null;
  try {
    const own = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('0::'));
    if (!own) return null;
    const mount = cgroup2Mount();
    if (!mount) return null;
    const dir = join(mount, own.slice(3).trim());
    // Creating children needs write access to the folder; moving a process into one, to its cgroup.procs.
    accessSync(dir, constants.W_OK);
    accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
    return dir;
  } catch {
    return null;
  }
}

/** The mount point of the cgroup v2 hierarchy (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` in hybrid mode). */
function cgroup2Mount(): string | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // "id parent major:minor root mountpoint options ... - fstype source superoptions"
    const [left, right] = line.split(' - ');
    if (!left || !right?.startsWith('cgroup2 ')) continue;
    const mountPoint = left.split(' ')[4];
    if (mountPoint) return mountPoint.replace(/\\040/g, ' ');
  }
  return null;
}

/**
 * Makes the run's cgroup; null when it cannot be made (the run is then found by its marker only).
 * At once, not through libuv's thread pool: the pool's round trip costs more than the mkdir, which
 * is quick except while some process joins a cgroup (the kernel holds cgroup_mutex across that
 * join's RCU grace period, and the mkdir waits); through the pool a run start was no faster.
 */
export function createRunCgroup(runId: string): string | null {
  const base = cgroupBase();
  if (!base) return null;
  const dir = join(base, `${PREFIX}${runId}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? dir : null;
  }
}

let warming: Promise<void> | null = null;

/**
 * Readies the kernel for a run's wrapper to join its cgroup soon, while this process waits for something else (a
 * team's commit of the claim, a round trip to the database). Every move into a cgroup takes a lock that, when no
 * process on the machine has moved for a few milliseconds, first waits out an RCU grace period (7–21 ms measured
 * here; wrapper.ts): a wrapper that joins after an idle spell waited it before its command began. This process moves
 * itself to the cgroup it is in (which changes nothing) in the thread pool, never blocking its thread: the grace
 * period passes meanwhile, and a join within the next one does not wait. Best effort: an error says nothing (the
 * wrapper then waits as before); one at a time. Settles when the move is over (nobody needs to wait for it).
 */
export function warmCgroupJoins(): Promise<void> {
  const base = cgroupBase();
  if (!base) return Promise.resolve();
  warming ??= writeFile(join(base, 'cgroup.procs'), String(process.pid))
    .catch(() => {})
    .finally(() => {
      warming = null;
    });
  return warming;
}

/**
 * Where the run's cgroup is, or would be, made (createRunCgroup), whether or not it exists: for a run
 * whose folder has no note of it (its wrapper had not joined yet, or the run removed its own folder).
 * Null where runs get no cgroup.
 */
export function runCgroupDir(runId: string): string | null {
  const base = cgroupBase();
  return base ? join(base, `${PREFIX}${runId}`) : null;
}

/**
 * The populated run cgroups, by run id, from one listing of the base folder: something a run started
 * still runs there, whatever it did to its environment or session (only a cgroup holds an `env -i`
 * child). One listing, not a look per run: a store names every run it ever had.
 */
export function populatedRunCgroups(): Map<string, string> {
  const found = new Map<string, string>();
  const base = cgroupBase();
  if (!base) return found;
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return found;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(base, name);
    if (cgroupPopulated(dir)) found.set(name.slice(PREFIX.length), dir);
  }
  return found;
}

/** Pids in the cgroup (empty when it is gone). */
export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether any process is left in the cgroup or below it (zombies are not). */
export function cgroupPopulated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** SIGKILL for every process in the cgroup at once (no fork can race it); false where the kernel lacks cgroup.kill. */
export function cgroupKill(dir: string): boolean {
  if (!existsSync(join(dir, 'cgroup.kill'))) return false;
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes an empty run cgroup (a populated one stays; the next kill or reconcile tries again).
 * Whether it is gone now: the kernel removes only an empty cgroup, so true also says that nothing
 * of its run is left in it (what `cgroupPopulated` reads), in one system call.
 */
export function removeRunCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    // Still populated (EBUSY), or already gone.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** An empty run cgroup older than this is over (a run joins its cgroup within milliseconds of its creation). */
const STALE_MS = 60_000;

/**
 * Removes the empty run cgroups left behind by runs whose coordinator died (nobody else removes
 * them). Called at start; young ones are left alone, a run may be about to join it.
 */
export function sweepRunCgroups(now = Date.now()): number {
  const base = cgroupBase();
  if (!base) return 0;
  let removed = 0;
  for (const name of readdirSync(base)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(base, name);
    try {
      if (now - statSync(dir).mtimeMs < STALE_MS || cgroupPopulated(dir)) continue;
      rmdirSync(dir);
      removed++;
    } catch {
      // Gone meanwhile, or just joined.
    }
  }
  return removed;
}

import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../src/core/processes/process-group';

const PREFIX = 'wg-test-run-';

/**
 * Every temporary folder of a test run (the tests' own, those of the processes they start, Chromium's profiles) lives
 * in one folder of the run's, removed when the run ends. Folders a test could not remove were left in /tmp for good
 * (a daemon killed on purpose keeps its job folder, a worker is ended without its exit handlers): about 8,000 after
 * some weeks of runs on one machine. TMPDIR is set before the first worker starts, so workers and every process a
 * test starts inherit it. A run killed before its end leaves its folder; the next run removes it.
 * Every project names this setup, first; the first to run makes the folder, and its teardown removes it.
 */
export default function setup(): (() => void) | undefined {
  if (process.env.WG_TEST_RUN_TMP) return undefined;
  const system = systemTemporaryFolder();
  const disk = tmpdir();
  // Both places a run's folder may have gone (see WG_TEST_RUN_DISK_TMP below).
  for (const place of new Set([system, disk])) removeEndedRuns(place);
  const folder = mkdtempSync(join(system, `${PREFIX}${process.pid}-`));
  // A PostgreSQL server a test starts runs as the postgres user and reaches its folder through this one.
  chmodSync(folder, 0o755);
  // A folder of the run's on the disk too, for the test whose point is what a disk's slower writes leave room for
  // (test/helpers/disk-folder.ts).
  const onDisk = system === disk ? folder : mkdtempSync(join(disk, `${PREFIX}${process.pid}-`));
  const before = process.env.TMPDIR;
  process.env.WG_TEST_RUN_TMP = folder;
  process.env.WG_TEST_RUN_DISK_TMP = onDisk;
  process.env.TMPDIR = folder;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    delete process.env.WG_TEST_RUN_TMP;
    delete process.env.WG_TEST_RUN_DISK_TMP;
    for (const made of new Set([folder, onDisk])) rmSync(made, { recursive: true, force: true });
  };
}

/**
 * The folder the run's folder goes in: the machine's memory (/dev/shm) when it has room there, unless TMPDIR names
 * a folder of the person's own choice. The suite's files are thousands of short-lived projects (a graph.db each,
 * opened, written and fsynced by every `wg` command a test runs, git repositories, worktrees), and none of them
 * needs to outlive the run. On the disk the unit layer took 69 s, in memory 56 s (three workers, one run after the
 * other, nothing else running), and its system time halved; a whole `npm test` ran its Vitest in 658 s, where the
 * last three on the disk took 725-741 s. The room asked for is ten times what the run's folder held at its largest
 * (380 MB, sampled every 10 s through a whole `npm test`); a machine whose /dev/shm is small (a container's 64 MB)
 * or runs no programs keeps the disk.
 */
function systemTemporaryFolder(): string {
  if (process.env.TMPDIR) return tmpdir();
  try {
    const memory = statfsSync('/dev/shm');
    if (memory.type === TMPFS && memory.bavail * memory.bsize >= ROOM_IN_MEMORY && runsPrograms('/dev/shm')) return '/dev/shm';
  } catch {
    // No /dev/shm (not Linux): the disk.
  }
  return tmpdir();
}

/**
 * Whether programs may be run from files in `mount` (no `noexec` among its options, as a hardened system may set for
 * /dev/shm): tests run scripts they write there directly, a run's `wg` wrapper and fake agent CLIs among them.
 */
function runsPrograms(mount: string): boolean {
  const entry = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .findLast((fields) => fields[1] === mount);
  return entry !== undefined && !(entry[3] ?? '').split(',').includes('noexec');
}

/** statfs(2)'s f_type of a tmpfs. */
const TMPFS = 0x01021994;
const ROOM_IN_MEMORY = 4 * 1024 ** 3;

/** The folders of runs whose process is gone (killed before its teardown). */
function removeEndedRuns(system: string): void {
  for (const name of readdirSync(system)) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    try {
      rmSync(join(system, name), { recursive: true, force: true });
    } catch {
      // Another user's run: theirs to remove.
    }
  }
}

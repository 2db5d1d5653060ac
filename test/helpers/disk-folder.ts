import { tmpdir } from 'node:os';

/**
 * The run's folder on the disk (test/setup/run-tmpdir.ts), where the rest of the run's files may be in memory: a race
 * between processes that a disk's slower writes leave room for does not show on a tmpfs (four `git worktree add`s at
 * once failed 4 of 160 on the disk, none in memory).
 */
export function diskFolder(): string {
  return process.env.WG_TEST_RUN_DISK_TMP ?? tmpdir();
}

import { describe, expect, it } from 'vitest';
import { toApiError } from '../../src/main/ipc/ipc-errors';
import { plainFailure, whyUnreadable } from '../../src/shared/plain-failure';

const failure = (code: string, message: string, path?: string) => Object.assign(new Error(message), { code, path });

describe('failures from below, in plain words', () => {
  it('puts SQLite and file-system errors in plain words, with the path', () => {
    expect(plainFailure(failure('SQLITE_BUSY', 'database is locked'))).toBe(
      "the project's database stayed locked by another process for too long; try again",
    );
    expect(
      plainFailure(failure('EACCES', "EACCES: permission denied, open '/p/.workgraph/config.toml.lock'", '/p/.workgraph/config.toml.lock')),
    ).toBe('permission denied: /p/.workgraph/config.toml.lock');
    expect(plainFailure(failure('SQLITE_READONLY', 'attempt to write a readonly database'))).toBe(
      'the project cannot be written (read-only)',
    );
    // A full disk, in SQLite's words for it too (no room to grow graph.db-shm), and a damaged database.
    expect(plainFailure(failure('SQLITE_FULL', 'database or disk is full'))).toBe('the disk is full');
    expect(plainFailure(failure('SQLITE_IOERR_SHMSIZE', 'disk I/O error'))).toBe('the disk is full');
    expect(plainFailure(failure('SQLITE_CORRUPT', 'database disk image is malformed'))).toBe(
      "the project's database is damaged; 'wg check --db' says how to recover",
    );
    expect(plainFailure(new Error('something else'))).toBeNull();
  });

  it("say that the app's files were replaced under a running process, not which of its chunks Node could not find", () => {
    // What a coordinator's API answered for `wg resume` after a rebuild removed the chunk it loads on first use.
    const gone = failure(
      'MODULE_NOT_FOUND',
      "Cannot find module './flow-handlers-CW9b_WZ_.cjs'\nRequire stack:\n- /app/out/cli/handlers-B1x.cjs\n- /app/out/cli/wg.cjs",
    );
    expect(plainFailure(gone)).toBe(
      "this app's files were replaced (an update or a rebuild) while it ran: restart it (for the coordinator: wg service restart)",
    );
    // A package of someone else's that is missing is not this app's update: left to the caller's own words.
    expect(plainFailure(failure('MODULE_NOT_FOUND', "Cannot find module 'better-sqlite3'"))).toBeNull();
  });

  it("say why a file a person named could not be read, without the system's code", () => {
    expect(whyUnreadable(failure('ENOENT', "ENOENT: no such file or directory, open '/nonexist'", '/nonexist'))).toBe(
      'no such file or folder',
    );
    expect(whyUnreadable(failure('EISDIR', 'EISDIR: illegal operation on a directory, read'))).toBe('a folder, not a file');
    expect(whyUnreadable(new Error('odd'))).toBe('it could not be read');
  });

  it('reach the window that way too', () => {
    expect(toApiError(failure('SQLITE_BUSY', 'database is locked'))).toEqual({
      error: "the project's database stayed locked by another process for too long; try again",
      code: 'internal',
    });
  });
});

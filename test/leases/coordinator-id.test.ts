import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coordinatorIdentity, savedCoordinatorId } from '../../src/core/leases/coordinator-id';
import type { ProjectPaths } from '../../src/core/project';

/**
 * A coordinator's id is kept in its folder so that a restart there is the same coordinator. "Another machine" made by
 * copying a running coordinator's folder (`cp -a m2/.workgraph m4/`) must not start as m2's coordinator: it would
 * take m2's lease at a new epoch and fence the healthy m2, whose runs would then run twice.
 */
const base = mkdtempSync(join(tmpdir(), 'wg-coordinator-id-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function folder(name: string): ProjectPaths {
  const root = join(base, name);
  mkdirSync(join(root, '.workgraph', 'service'), { recursive: true });
  return { root, dir: join(root, '.workgraph'), serviceDir: join(root, '.workgraph', 'service') } as ProjectPaths;
}

describe("a coordinator's id", () => {
  it('is the same at every start in its folder, reached by any link', () => {
    const m1 = folder('m1');
    const first = coordinatorIdentity(m1);
    expect(coordinatorIdentity(m1).id).toBe(first.id);
    symlinkSync(m1.root, join(base, 'm1-link'));
    const linked = { ...m1, root: join(base, 'm1-link'), serviceDir: join(base, 'm1-link', '.workgraph', 'service') };
    expect(coordinatorIdentity(linked).id).toBe(first.id);
    expect(savedCoordinatorId(m1)).toBe(first.id);
  });

  it('is made anew in a copy of the folder, which leaves the original its own', () => {
    const m2 = folder('m2');
    const original = coordinatorIdentity(m2).id;
    const m4 = folder('m4');
    cpSync(m2.serviceDir, m4.serviceDir, { recursive: true });
    expect(savedCoordinatorId(m4)).toBeNull();
    const copy = coordinatorIdentity(m4).id;
    expect(copy).not.toBe(original);
    expect(coordinatorIdentity(m4).id).toBe(copy);
    expect(coordinatorIdentity(m2).id).toBe(original);
    expect(readFileSync(join(m4.serviceDir, 'coordinator-id'), 'utf8')).toBe(`${copy}\n${hostname()}\n${m4.root}\n`);
  });

  it("an earlier version's file (the id alone) is taken as this folder's and stamped", () => {
    const old = folder('old');
    const id = '0b7c2a4e-9d1f-4c53-8a36-2f1e5d7c9b10';
    writeFileSync(join(old.serviceDir, 'coordinator-id'), `${id}\n`);
    expect(savedCoordinatorId(old)).toBe(id);
    expect(coordinatorIdentity(old).id).toBe(id);
    expect(readFileSync(join(old.serviceDir, 'coordinator-id'), 'utf8')).toBe(`${id}\n${hostname()}\n${old.root}\n`);
  });
});

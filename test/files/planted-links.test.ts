import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agencyWrites } from '../../src/core/agency/agency-writes';
import { ALL_STARTER_COMPONENTS } from '../../src/core/agency/starters';
import { exportAgency } from '../../src/core/agency/yaml/yaml-export';
import { replaceFile } from '../../src/core/files/no-follow';
import { inboxMarker } from '../../src/core/messages/delivery-hooks';
import { markInbox } from '../../src/core/messages/inbox-marker';
import { JobOutput } from '../../src/core/agent-daemons/job-output';
import { RunLogWriter } from '../../src/core/run-folder/run-log';
import { writeGraphFile } from '../../src/core/upstream-sync/graph-file';
import { lockGraphSync } from '../../src/core/upstream-sync/graph-lock';
import { writeJournal } from '../../src/core/worktrees/merge-journal';
import { withMergeLock } from '../../src/core/worktrees/merge-lock';
import { tempStore } from '../helpers/temp-store';

/**
 * Files this app makes in a folder someone else may be able to write (issue 27, item 2): a symlink
 * planted at the name of one (or at the name its temporary file will have) is never written through.
 * Each case plants a link to a file that must keep its text, then has the real writer make its file.
 */
let dir: string;
let target: string;
const PRECIOUS = 'precious\n';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wg-planted-'));
  target = join(dir, 'precious');
  writeFileSync(target, PRECIOUS);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const plant = (at: string) => symlinkSync(target, at);
const refusal = (at: string) => `${at} is a symbolic link, which this app never makes there; remove it and try again`;

describe('a file replaced whole (temporary file, then rename)', () => {
  it("never writes through a link at the temporary file's old name, and replaces a link at its own", () => {
    const file = join(dir, 'state.json');
    // The names a temporary file had before (`<name>.<pid>.tmp`, upstream's `.graph.tmp.<pid>`).
    plant(`${file}.${process.pid}.tmp`);
    plant(join(dir, 'own-link'));
    replaceFile(file, 'new\n');
    replaceFile(join(dir, 'own-link'), 'replaced\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(lstatSync(join(dir, 'own-link')).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });

  it("upstream's graph.jsonl: a link at .graph.tmp.<pid> is not written through", () => {
    plant(join(dir, `.graph.tmp.${process.pid}`));
    writeGraphFile(dir, '{"kind":"task","id":"a","title":"A"}\n');
    expect(readFileSync(join(dir, 'graph.jsonl'), 'utf8')).toBe('{"kind":"task","id":"a","title":"A"}\n');
    expect(lstatSync(join(dir, 'graph.jsonl')).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });

  it("the agency YAML export: a link at a YAML file's temporary name is not written through", async () => {
    const { store, dispose } = await tempStore();
    try {
      const component = ALL_STARTER_COMPONENTS[0];
      if (!component) throw new Error('no starter component');
      await store.core.write(() => agencyWrites(store).putComponent(component, 'keep'));
      const folder = join(dir, 'agency', 'primitives', 'components');
      mkdirSync(folder, { recursive: true });
      plant(join(folder, `${component.id}.yaml.${process.pid}.tmp`));
      await exportAgency(store, join(dir, 'agency'));
      expect(readFileSync(join(folder, `${component.id}.yaml`), 'utf8')).toContain(component.id);
      expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
    } finally {
      await dispose();
    }
  });

  it("a merge's journal and its lock's owner file, in git's folder", async () => {
    plant(join(dir, 'wg-merge-pending.json.tmp'));
    writeJournal(dir, { branch: 'main', previous: 'a'.repeat(40), commit: 'b'.repeat(40) });
    expect(JSON.parse(readFileSync(join(dir, 'wg-merge-pending.json'), 'utf8'))).toMatchObject({ branch: 'main' });
    plant(join(dir, 'wg-merge.owner'));
    await withMergeLock(dir, async () => undefined);
    expect(JSON.parse(readFileSync(join(dir, 'wg-merge.owner'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });
});

describe('a file written in place or appended to', () => {
  it('graph.lock is refused, not opened through the link', () => {
    plant(join(dir, 'graph.lock'));
    expect(() => lockGraphSync(dir, 1000)).toThrow(refusal(join(dir, 'graph.lock')));
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });

  it("a message's inbox marker is not made through a link (the message itself is kept: the marker is only a hint)", () => {
    const marker = inboxMarker(dir, 'task-1');
    mkdirSync(join(dir, 'inbox'));
    plant(marker);
    markInbox(dir, 'task-1');
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });

  it("a run's event log and a remote run's kept output are refused", async () => {
    const run = join(dir, 'runs', 'agent-1');
    mkdirSync(run, { recursive: true });
    plant(join(run, 'events.jsonl'));
    expect(() => new RunLogWriter(run)).toThrow(refusal(join(run, 'events.jsonl')));
    rmSync(join(run, 'events.jsonl'));
    plant(join(run, 'events.idx'));
    expect(() => new RunLogWriter(run)).toThrow(refusal(join(run, 'events.idx')));

    const { store, dispose } = await tempStore();
    try {
      const output = new JobOutput(store, join(dir, 'runs'), () => undefined);
      plant(join(run, 'changes.diff'));
      expect(() => output.keep('agent-1', 'changes.diff', 'diff --git a b\n')).toThrow(refusal(join(run, 'changes.diff')));
    } finally {
      await dispose();
    }
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });
});

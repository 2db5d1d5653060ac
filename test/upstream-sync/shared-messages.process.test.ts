import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths } from '../../src/core/project';
import { startSyncService } from '../../src/core/upstream-sync/sync-service';
import { MessageSync } from '../../src/core/upstream-sync/message-sync';
import type { Message } from '../../src/shared/message';
import { TempProject } from '../helpers/wg-cli';

/*
 * Messages in a folder upstream's wg uses: one set, in upstream's messages/<task>.jsonl and in
 * graph.db. The upstream side is upstream-messages.py, which reads and writes the files as upstream's
 * src/messages.rs does (flock on the task's file for a send, the highest id + 1, a rename for a
 * status change, cursor files); the app side is the real `wg`.
 */

const UPSTREAM = join(import.meta.dirname, 'upstream-messages.py');

type FileLine = { id: number; timestamp: string; sender: string; body: string; priority: string; status: string; read_at?: string };

let project: TempProject;
afterEach(() => project.remove());

function upstreamProject(): string {
  project = new TempProject('wg-shared-msg-');
  const dir = join(project.root, '.wg');
  mkdirSync(dir);
  const task = (id: string) => ({ kind: 'task', id, title: id.toUpperCase(), status: 'open', created_at: '2026-01-01T00:00:00+00:00' });
  writeFileSync(join(dir, 'graph.jsonl'), `${JSON.stringify(task('t1'))}\n${JSON.stringify(task('t2'))}\n`);
  return dir;
}

async function upstream(...args: string[]): Promise<string> {
  return (await execa('python3', [UPSTREAM, ...args])).stdout;
}

function fileLines(dir: string, task: string): FileLine[] {
  return readFileSync(join(dir, 'messages', `${task}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as FileLine);
}

describe("messages shared with upstream's wg in its folder", () => {
  it("a message upstream wrote shows in wg msg list; one sent here is in upstream's file with its next id and shape", async () => {
    const dir = upstreamProject();
    expect(await upstream('send', dir, 't1', 'Please handle edge case X')).toBe('1');
    expect(await upstream('send', dir, 't1', 'Urgent fix needed', 'coordinator', 'urgent')).toBe('2');

    const listed = await project.json<Message[]>(['msg', 'list', 't1']);
    expect(listed.map((m) => [m.id, m.sender, m.body, m.priority, m.status])).toEqual([
      [1, 'user', 'Please handle edge case X', 'normal', 'sent'],
      [2, 'coordinator', 'Urgent fix needed', 'urgent', 'sent'],
    ]);

    expect(await project.ok(['msg', 'send', 't1', 'use the existing auth helper'])).toBe("Message #3 sent to 't1'");
    const lines = fileLines(dir, 't1');
    expect(lines).toHaveLength(3);
    // Upstream's Message, serialized as serde_json does: its fields in its order, no read_at until read.
    expect(Object.keys(lines[2] as object)).toEqual(['id', 'timestamp', 'sender', 'body', 'priority', 'status']);
    expect(lines[2]).toMatchObject({ id: 3, sender: 'user', body: 'use the existing auth helper', priority: 'normal', status: 'sent' });
    expect(Number.isNaN(Date.parse(lines[2]?.timestamp ?? ''))).toBe(false);
    // Upstream's lines are left exactly as it wrote them.
    expect(
      readFileSync(join(dir, 'messages', 't1.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 2)
        .map((l) => JSON.parse(l).body),
    ).toEqual(['Please handle edge case X', 'Urgent fix needed']);

    // Upstream's next send counts the one sent here; and it reads all three.
    expect(await upstream('send', dir, 't1', 'after yours')).toBe('4');
    expect(JSON.parse(await upstream('list', dir, 't1')).map((m: FileLine) => m.id)).toEqual([1, 2, 3, 4]);
    expect((await project.json<Message[]>(['msg', 'list', 't1'])).map((m) => m.id)).toEqual([1, 2, 3, 4]);
    // A task without messages gets no file.
    await project.ok(['msg', 'list', 't2']);
    expect(existsSync(join(dir, 'messages', 't2.jsonl'))).toBe(false);
  });

  it("a question a running task's agent asked here is answered by a reply upstream's wg wrote: wg msg questions reads the files first", async () => {
    const dir = upstreamProject();
    await project.ok(['claim', 't1', '--agent', 'agent-1']);
    const asked = await project.wg(['msg', 'send', 't1', 'Which region?'], { env: { WG_AGENT_ID: 'agent-1' } });
    expect(asked.exitCode).toBe(0);
    expect((await project.json<Message[]>(['msg', 'questions'])).map((m) => [m.task_id, m.body])).toEqual([['t1', 'Which region?']]);
    expect(await upstream('send', dir, 't1', 'eu-west')).toBe('2');
    expect(await project.json<Message[]>(['msg', 'questions'])).toEqual([]);
  });

  it("reads and cursors cross over: a read here is 'read' in upstream's file and moves the reader's cursor file", async () => {
    const dir = upstreamProject();
    await upstream('send', dir, 't1', 'first');
    await project.ok(['msg', 'send', 't1', 'second']);
    const read = await project.json<Message[]>(['msg', 'read', 't1', '--agent', 'agent-7']);
    expect(read.map((m) => m.body)).toEqual(['first', 'second']);
    const lines = fileLines(dir, 't1');
    expect(lines.map((l) => l.status)).toEqual(['read', 'read']);
    expect(lines.every((l) => typeof l.read_at === 'string')).toBe(true);
    expect(readFileSync(join(dir, 'messages', '.cursors', 'agent-7.t1'), 'utf8')).toBe('2\n');
    // Upstream's read_unread for the same agent finds nothing new: one cursor.
    expect(JSON.parse(await upstream('read', dir, 't1', 'agent-7'))).toEqual([]);

    // And the other way: upstream's agent reads a new message; this app sees it read, and its cursor.
    await project.ok(['msg', 'send', 't1', 'third']);
    expect(JSON.parse(await upstream('read', dir, 't1', 'agent-8')).map((m: FileLine) => m.body)).toEqual(['first', 'second', 'third']);
    const after = await project.json<Message[]>(['msg', 'list', 't1']);
    expect(after.map((m) => m.status)).toEqual(['read', 'read', 'read']);
    expect((await project.wg(['msg', 'poll', 't1', '--agent', 'agent-8'])).exitCode).toBe(1);
  });

  it("messages graph.db held before the folder was upstream's are written out; an id upstream gave another message moves this app's to the next", async () => {
    project = new TempProject('wg-shared-msg-');
    await project.ok(['init']);
    await project.ok(['add', 'Early', '--id', 'early']);
    await project.ok(['msg', 'send', 'early', 'sent before']);
    const dir = join(project.root, '.workgraph');
    // Upstream's wg starts using the folder: a graph.jsonl, and a message of its own to the same task, id 1.
    writeFileSync(join(dir, 'graph.jsonl'), '');
    await project.ok(['list']);
    expect(await upstream('send', dir, 'early', 'from upstream')).toBe('1');
    const listed = await project.json<Message[]>(['msg', 'list', 'early']);
    expect(listed.map((m) => [m.id, m.body])).toEqual([
      [1, 'from upstream'],
      [2, 'sent before'],
    ]);
    expect(fileLines(dir, 'early').map((l) => [l.id, l.body])).toEqual([
      [1, 'from upstream'],
      [2, 'sent before'],
    ]);
  });

  it("a FIFO in place of one task's message file is refused at once, and holds up no other task's messages", async () => {
    const dir = upstreamProject();
    await project.ok(['list']);
    mkdirSync(join(dir, 'messages'));
    spawnSync('mkfifo', [join(dir, 'messages', 't1.jsonl')]);
    expect(await upstream('send', dir, 't2', 'for t2')).toBe('1');
    const paths = projectPaths(dir);
    const { store } = await openProjectStore(paths);
    try {
      const sync = await MessageSync.open(store, dir, { writeFiles: true, serviceDir: paths.serviceDir });
      await expect(sync.syncPending('all', 2000)).rejects.toThrow(/t1.jsonl is a FIFO, not a regular file/);
      expect((await store.messages.list('t2')).map((m) => m.body)).toEqual(['for t2']);
    } finally {
      await store.close();
    }
  });

  it("never writes through a symbolic link planted at a task's message file", async () => {
    const dir = upstreamProject();
    const elsewhere = join(project.root, 'elsewhere.txt');
    writeFileSync(elsewhere, 'untouched\n');
    mkdirSync(join(dir, 'messages'));
    symlinkSync(elsewhere, join(dir, 'messages', 't1.jsonl'));
    const sent = await project.wg(['msg', 'send', 't1', 'hello']);
    expect(sent.exitCode).not.toBe(0);
    expect(sent.stderr).toMatch(/t1\.jsonl is a symbolic link, which this app never makes there/);
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched\n');
  });

  it('loses no message and gives no id twice while upstream sends to the same task at the same time', async () => {
    const dir = upstreamProject();
    await project.ok(['list']);
    const stop = join(project.root, 'stop');
    const racing = execa('python3', [UPSTREAM, 'race', dir, 't1', 'up', '2000', stop]);
    const HERE = 6;
    // Two senders here besides upstream's.
    await Promise.all(
      ['a', 'b'].map(async (who) => {
        // Processes of their own: this app's two senders race each other as well as upstream's.
        for (let i = 0; i < HERE / 2; i++) {
          const sent = await project.wgProcess(['msg', 'send', 't1', `here-${who}-${i}`]);
          if (sent.exitCode !== 0) throw new Error(`wg msg send failed: ${sent.stderr}`);
        }
      }),
    );
    writeFileSync(stop, '');
    const COUNT = Number((await racing).stdout);
    expect(COUNT).toBeGreaterThan(HERE);
    const lines = fileLines(dir, 't1');
    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: COUNT + HERE }, (_, i) => i + 1));
    expect(new Set(lines.map((l) => l.body)).size).toBe(COUNT + HERE);
    const listed = await project.json<Message[]>(['msg', 'list', 't1']);
    expect(listed.map((m) => [m.id, m.body])).toEqual(lines.map((l) => [l.id, l.body]));
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("the daemon or the window beside upstream's wg", () => {
  it("takes in upstream's messages as it writes them (waking the agent's hook) and writes back its own changes", async () => {
    const dir = upstreamProject();
    process.env.WG_HOME = project.home;
    const paths = projectPaths(dir);
    const { store } = await openProjectStore(paths);
    // In graph.db before any sync of messages: the service writes it out at its start.
    await store.messages.send({ taskId: 't2', body: 'kept here', sender: 'user', priority: 'normal', agentId: null });
    const warnings: string[] = [];
    const service = await startSyncService(store, paths, { warn: (m) => warnings.push(m) });
    try {
      // (The file is made, empty, when its lock is taken, as upstream's send makes it; the line follows.)
      await waitFor(
        () => existsSync(join(dir, 'messages', 't2.jsonl')) && readFileSync(join(dir, 'messages', 't2.jsonl'), 'utf8') !== '',
        3000,
      );
      expect(fileLines(dir, 't2').map((l) => [l.id, l.body])).toEqual([[1, 'kept here']]);
      // No message file of t1 yet: upstream makes it with its first message, and the service watches the folder.
      expect(existsSync(join(dir, 'messages', 't1.jsonl'))).toBe(false);
      await upstream('send', dir, 't1', 'hello from upstream');
      await waitFor(async () => (await store.messages.list('t1')).length === 1, 3000);
      expect(existsSync(join(paths.serviceDir, 'inbox', 't1'))).toBe(true);
      await upstream('send', dir, 't1', 'and again');
      await waitFor(async () => (await store.messages.list('t1')).length === 2, 3000);

      // A spawn here hands both to its agent in the prompt: "delivered", and the agent's cursor, reach upstream's files.
      await store.core.write(() => store.messages.deliverAtSpawn('t1', 'agent-1'));
      await waitFor(() => existsSync(join(dir, 'messages', '.cursors', 'agent-1.t1')), 3000);
      await waitFor(() => fileLines(dir, 't1').every((l) => l.status === 'delivered'), 3000);
      expect(readFileSync(join(dir, 'messages', '.cursors', 'agent-1.t1'), 'utf8')).toBe('2\n');
      expect(warnings).toEqual([]);
    } finally {
      await service?.stop();
      await store.close();
    }
  });
});

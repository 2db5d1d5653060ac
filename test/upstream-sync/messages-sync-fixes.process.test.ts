import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/message';
import { TempProject } from '../helpers/wg-cli';

/*
 * Four ways the message sync with upstream's files went wrong: a reader's cursor left past a message
 * moved to a new id, a status rewrite renamed over a file an upstream send was about to append to, a
 * file still being written in place acted on, and a link at a message file's name followed.
 * upstream-messages.py reads and writes the files as upstream's src/messages.rs does.
 */

const UPSTREAM = join(import.meta.dirname, 'upstream-messages.py');

type FileLine = { id: number; sender: string; body: string; status: string };

let project: TempProject;
afterEach(() => project.remove());

function upstreamProject(...ids: string[]): string {
  project = new TempProject('wg-msg-fixes-');
  const dir = join(project.root, '.wg');
  mkdirSync(dir);
  const task = (id: string) =>
    JSON.stringify({ kind: 'task', id, title: id.toUpperCase(), status: 'open', created_at: '2026-01-01T00:00:00+00:00' });
  writeFileSync(join(dir, 'graph.jsonl'), ids.map((id) => `${task(id)}\n`).join(''));
  return dir;
}

async function upstream(...args: string[]): Promise<string> {
  return (await execa('python3', [UPSTREAM, ...args])).stdout;
}

function fileLines(dir: string, task: string): FileLine[] {
  return readFileSync(join(dir, 'messages', `${task}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FileLine);
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('messages shared with upstream: fixes', () => {
  it('a reader who had read up to a message moved to a new id gets the message upstream gave that id, and the moved one again', async () => {
    project = new TempProject('wg-msg-fixes-');
    await project.ok(['init']);
    await project.ok(['add', 'Early', '--id', 'early']);
    await project.ok(['msg', 'send', 'early', 'sent before']);
    expect((await project.json<Message[]>(['msg', 'read', 'early', '--agent', 'R'])).map((m) => m.body)).toEqual(['sent before']);
    const dir = join(project.root, '.workgraph');
    writeFileSync(join(dir, 'graph.jsonl'), '');
    await project.ok(['list']);
    expect(await upstream('send', dir, 'early', 'from upstream')).toBe('1');

    const read = await project.json<Message[]>(['msg', 'read', 'early', '--agent', 'R']);
    // Upstream's message is never skipped; this app's moved one may be handed over a second time.
    expect(read.map((m) => [m.id, m.body])).toEqual([
      [1, 'from upstream'],
      [2, 'sent before'],
    ]);
    expect(readFileSync(join(dir, 'messages', '.cursors', 'R.early'), 'utf8')).toBe('2\n');
    // Upstream's own read for R agrees: nothing new.
    expect(JSON.parse(await upstream('read', dir, 'early', 'R'))).toEqual([]);
  });

  it('a read here never renames over the file while an upstream send waits to append to it', async () => {
    const dir = upstreamProject('t6');
    expect(await upstream('send', dir, 't6', 'first')).toBe('1');
    const ready = join(project.root, 'ready');
    const go = join(project.root, 'go');
    // Upstream's send has the file open (as one blocked on the lock has) when this app marks a message read.
    const late = execa('python3', [UPSTREAM, 'send-late', dir, 't6', 'late', ready, go]);
    await waitFor(() => existsSync(ready), 60_000); // Python's start: seconds on a loaded machine.
    const read = await project.json<Message[]>(['msg', 'read', 't6', '--agent', 'p1']);
    expect(read.map((m) => m.body)).toEqual(['first']);
    writeFileSync(go, '');
    expect((await late).stdout).toBe('2');

    // The late message is in the file at its name, so in both stores; the read still reached the file.
    expect(fileLines(dir, 't6').map((l) => [l.id, l.body, l.status])).toEqual([
      [1, 'first', 'read'],
      [2, 'late', 'sent'],
    ]);
    expect((await project.json<Message[]>(['msg', 'list', 't6'])).map((m) => [m.id, m.body])).toEqual([
      [1, 'first'],
      [2, 'late'],
    ]);
    expect((await project.json<Message[]>(['msg', 'read', 't6', '--agent', 'p1'])).map((m) => m.body)).toEqual(['late']);
  });

  it('a file being written in place (its last line cut, changed a moment ago) is not written until it is whole', async () => {
    const dir = upstreamProject('t');
    expect(await upstream('send', dir, 't', 'whole')).toBe('1');
    const path = join(dir, 'messages', 't.jsonl');
    // A writer that skips the lock, part way through its line.
    const rest = JSON.stringify({
      id: 2,
      timestamp: '2026-01-01T00:00:00+00:00',
      sender: 'slow',
      body: 'written slowly',
      priority: 'normal',
      status: 'sent',
    });
    appendFileSync(path, rest.slice(0, 30));
    const before = readFileSync(path, 'utf8');
    const ino = statSync(path).ino;

    expect((await project.json<Message[]>(['msg', 'read', 't', '--agent', 'R'])).map((m) => m.body)).toEqual(['whole']);
    const sent = await project.json<Message>(['msg', 'send', 't', 'mine']);
    expect(sent.body).toBe('mine');
    // Nothing written to it: not replaced, not appended to after the cut line.
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).ino).toBe(ino);

    // The writer finishes; the next sync writes what waited, this app's message moved past the writer's id.
    appendFileSync(path, `${rest.slice(30)}\n`);
    const listed = await project.json<Message[]>(['msg', 'list', 't']);
    expect(listed.map((m) => [m.id, m.body])).toEqual([
      [1, 'whole'],
      [2, 'written slowly'],
      [3, 'mine'],
    ]);
    expect(fileLines(dir, 't').map((l) => [l.id, l.body, l.status])).toEqual([
      [1, 'whole', 'read'],
      [2, 'written slowly', 'sent'],
      [3, 'mine', 'sent'],
    ]);
  });

  it('a cut last line that has stood still (a writer that died) is written after, on a line of its own', async () => {
    const dir = upstreamProject('t');
    expect(await upstream('send', dir, 't', 'whole')).toBe('1');
    const path = join(dir, 'messages', 't.jsonl');
    appendFileSync(path, '{"id":2,"timest');
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    await project.ok(['msg', 'send', 't', 'mine']);
    expect(readFileSync(path, 'utf8').split('\n').slice(1)).toEqual(['{"id":2,"timest', expect.stringContaining('"body":"mine"'), '']);
  });

  it("a link at a task's message file name is not read: another task's messages never reach this task's agent", async () => {
    const dir = upstreamProject('t', 'u');
    await upstream('send', dir, 'u', 'secret for u only');
    symlinkSync('u.jsonl', join(dir, 'messages', 't.jsonl'));
    const result = await project.wg(['msg', 'read', 't', '--agent', 'agentT', '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toMatch(/t\.jsonl is a symbolic link, which this app never makes there/);
    expect(await project.json<Message[]>(['msg', 'list', 't'])).toEqual([]);
    expect((await project.json<Message[]>(['msg', 'list', 'u'])).map((m) => m.body)).toEqual(['secret for u only']);
  });
});

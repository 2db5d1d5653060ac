import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * Issue 25 item 1: a folder upstream workgraph uses opens and runs here with no `wg init` first, and
 * everything this app adds stays in its own `desktop/` (upstream never looks there); nothing upstream
 * wrote changes. The graph is upstream-shaped (test/fixtures/upstream: system tasks, numeric priorities,
 * a cycle) plus a row with the map-shaped priority upstream reads as the default.
 */

const FIXTURE = join(import.meta.dirname, '../fixtures/upstream/graph.jsonl');
const MAP_PRIORITY_ROW =
  '{"kind":"task","id":"map-priority","title":"Map priority","status":"open","priority":{"name":"normal","value":50},"created_at":"2026-04-29T12:30:21.082721372+00:00"}\n';

let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.remove();
  projects = [];
});

/** `dirName` as upstream leaves it: graph.jsonl, its config, its own service and agency files. */
function upstreamFolder(dirName: '.wg' | '.workgraph'): TempProject {
  const p = new TempProject('wg-upfolder-');
  projects.push(p);
  const dir = join(p.root, dirName);
  mkdirSync(join(dir, 'service'), { recursive: true });
  mkdirSync(join(dir, 'agency', 'roles'), { recursive: true });
  copyFileSync(FIXTURE, join(dir, 'graph.jsonl'));
  writeFileSync(join(dir, 'graph.jsonl'), readFileSync(join(dir, 'graph.jsonl'), 'utf8') + MAP_PRIORITY_ROW);
  writeFileSync(join(dir, 'config.toml'), '[coordinator]\nmax_agents = 2\nexecutor = "claude"\n\n[agency]\nauto_evaluate = false\n');
  writeFileSync(join(dir, 'service', 'state.json'), '{"pid":1,"socket_path":"/tmp/upstream.sock"}\n');
  writeFileSync(join(dir, 'agency', 'roles', 'abc.yaml'), 'id: abc\nname: programmer\n');
  return p;
}

/** Every file under `dir` with a hash of its bytes, by path relative to `dir`. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

/** Upstream's files written by the sync with graph.jsonl when this app changes the graph (test/upstream-sync). */
const SYNCED = new Set(['graph.jsonl', 'graph.lock']);

/**
 * Upstream's files are byte for byte as they were, and every file added is under desktop/; with
 * `changed`, graph.jsonl may have taken the change (under upstream's graph.lock, which it may add).
 */
function expectOnlyDesktopAdded(before: Map<string, string>, after: Map<string, string>, changed = false): void {
  for (const [path, hash] of before) if (!changed || !SYNCED.has(path)) expect({ path, hash: after.get(path) }).toEqual({ path, hash });
  const added = [...after.keys()].filter((path) => !before.has(path));
  expect(added.filter((path) => !path.startsWith('desktop/') && !(changed && SYNCED.has(path)))).toEqual([]);
}

describe('a folder upstream uses, with no wg init', () => {
  it.each(['.wg', '.workgraph'] as const)('%s: wg service start runs it, and all the app adds is in desktop/', async (dirName) => {
    const p = upstreamFolder(dirName);
    const dir = join(p.root, dirName);
    const before = snapshot(dir);
    const started = await p.wg(['service', 'start', '--max-agents', '1', '--executor', 'manual']);
    try {
      expect(started.stderr).not.toMatch(/no such file/);
      expect(started.exitCode).toBe(0);
      expect(started.stdout).toMatch(/^coordinator started \(pid \d+\)/);
      const status = await p.json<{ running: boolean }>(['service', 'status']);
      expect(status.running).toBe(true);
      expect((await p.json<unknown[]>(['list', '--all'])).length).toBe(26);
    } finally {
      await p.wg(['service', 'stop']);
    }
    const after = snapshot(dir);
    // The running coordinator logs on the manual tasks it will not start: graph.jsonl takes those lines.
    expectOnlyDesktopAdded(before, after, true);
    expect(after.has('desktop/graph.db')).toBe(true);
  });

  it.each([
    ['list'],
    ['ready'],
    ['show', 'critical-fix'],
    ['add', 'New thing', '--after', 'critical-fix'],
    ['done', 'idle-cleanup'],
    ['log', 'critical-fix', 'looked at it'],
    ['config', '--list'],
    ['agents'],
    ['export'],
    ['viz', '--dot'],
    ['service', 'status'],
  ])('wg %s works as the first command there', async (...args) => {
    const p = upstreamFolder('.wg');
    const dir = join(p.root, '.wg');
    const before = snapshot(dir);
    const result = await p.wg(args);
    expect(result.stderr).not.toMatch(/no such file|not a workgraph/);
    expect(result.exitCode).toBe(0);
    // A change (add, done, log) reaches graph.jsonl too; a query leaves it and graph.lock alone.
    expectOnlyDesktopAdded(before, snapshot(dir), ['add', 'done', 'log'].includes(args[0] as string));
  });

  it('keeps using a graph.db an earlier version made beside graph.jsonl', async () => {
    const p = upstreamFolder('.wg');
    await p.ok(['add', 'Made here']);
    const dir = join(p.root, '.wg');
    // As an earlier version left it: the database beside upstream's files.
    for (const name of readdirSync(join(dir, 'desktop'))) {
      if (name.startsWith('graph.db')) copyFileSync(join(dir, 'desktop', name), join(dir, name));
    }
    writeFileSync(join(dir, 'desktop', 'graph.db'), '');
    const show = await p.wg(['show', 'made-here']);
    expect(show.exitCode).toBe(0);
  });
});

/** A folder upstream uses, with the given graph.jsonl lines and nothing else. */
function upstreamGraph(lines: Array<Record<string, unknown>>): TempProject {
  const p = new TempProject('wg-upjson-');
  projects.push(p);
  mkdirSync(join(p.root, '.wg'));
  writeFileSync(
    join(p.root, '.wg', 'graph.jsonl'),
    `${lines.map((l) => JSON.stringify({ kind: 'task', status: 'open', ...l })).join('\n')}\n`,
  );
  return p;
}

describe('--json in upstream shape', () => {
  // upstream: tests/integration_cli_workflows.rs test_ready_json_fields
  it("marks each of wg ready's items ready", async () => {
    const p = upstreamGraph([
      { id: 'parent', title: 'Parent' },
      { id: 'child', title: 'Blocked', after: ['parent'] },
    ]);
    const ready = await p.json<Array<Record<string, unknown>>>(['ready']);
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ id: 'parent', title: 'Parent', ready: true });
  });

  // upstream: tests/integration_cli_workflows.rs test_show_json_minimal_task
  it('leaves out an empty description, and prints kept graph.jsonl fields at the top level', async () => {
    const p = upstreamGraph([
      { id: 'm1', title: 'Minimal' },
      { id: 'rich', title: 'Rich', description: 'Has one', skills: ['rust'], rescued: true, deliverables: ['docs/x.md'] },
    ]);
    const minimal = await p.json<Record<string, unknown>>(['show', 'm1']);
    expect(minimal).toMatchObject({ id: 'm1', title: 'Minimal', status: 'open' });
    expect('description' in minimal).toBe(false);
    const rich = await p.json<Record<string, unknown>>(['show', 'rich']);
    expect(rich).toMatchObject({ description: 'Has one', skills: ['rust'], rescued: true, deliverables: ['docs/x.md'] });
    expect('extra' in rich).toBe(false);
    const listed = await p.json<Array<Record<string, unknown>>>(['list']);
    expect(listed.find((t) => t.id === 'rich')).toMatchObject({ skills: ['rust'], rescued: true });
  });

  // upstream: tests/integration_cli_workflows.rs test_show_json_fields ("after should be objects with id/title/status");
  // src/commands/show.rs TaskDetails: after and before are [{id, status}]
  it("prints wg show's after and before as upstream's TaskDetails does: [{id, status}]", async () => {
    const p = upstreamGraph([
      { id: 'dep1', title: 'Dependency', status: 'done' },
      {
        id: 'st1',
        title: 'Show task',
        status: 'in-progress',
        description: 'Detailed description',
        assigned: 'agent-42',
        tags: ['backend', 'urgent'],
        skills: ['rust'],
        after: ['dep1'],
      },
      { id: 'next', title: 'Next', after: ['st1'] },
      { id: 'peerish', title: 'After a peer', after: ['peer:lib'] },
    ]);
    const shown = await p.json<Record<string, unknown>>(['show', 'st1']);
    expect(shown).toMatchObject({ id: 'st1', title: 'Show task', status: 'in-progress', description: 'Detailed description' });
    expect(shown).toMatchObject({ assigned: 'agent-42', skills: ['rust'] });
    expect(shown.tags).toEqual(expect.arrayContaining(['backend', 'urgent']));
    expect(shown.after).toEqual([{ id: 'dep1', status: 'done' }]);
    expect(shown.before).toEqual([{ id: 'next', status: 'open' }]);
    // This app's own names for the same lists stay beside them.
    expect(shown).toMatchObject({ dependencies: [{ id: 'dep1', status: 'done' }], required_by: [{ id: 'next', status: 'open' }] });
    // A dependency not in the graph: upstream counts it open (and warns).
    expect((await p.json<Record<string, unknown>>(['show', 'peerish'])).after).toEqual([{ id: 'peer:lib', status: 'open' }]);
  });
});

describe('upstream verbs from the command line', () => {
  // upstream: tests/integration_cli_workflows.rs test_done_blocked_task_fails
  it('refuses wg done of a task its dependency holds back, in one line, and changes nothing', async () => {
    const p = upstreamGraph([
      { id: 'blocker', title: 'Blocker' },
      { id: 'd2', title: 'Blocked done', status: 'in-progress', after: ['blocker'] },
    ]);
    const result = await p.wg(['done', 'd2']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      "wg: Cannot mark 'd2' as done: blocked by 1 unresolved task(s): blocker (Blocker): open",
    );
    expect((await p.json<{ status: string }>(['show', 'd2'])).status).toBe('in-progress');
  });

  // upstream: src/commands/add.rs nonexistent_blocker_allowed_when_paused
  it('adds a paused task after one not made yet, and publishes it once that exists', async () => {
    const p = upstreamGraph([{ id: 'a', title: 'A' }]);
    await p.ok(['add', 'T', '--after', 'not-yet-made', '--paused']);
    const publish = await p.wg(['publish', 't']);
    // Upstream's validate_subgraph (resume.rs), on one line; --only is its validate_task_deps.
    expect(publish.stderr.trim()).toBe("wg: Cannot publish subgraph — structural errors: Task 't': dangling dependency 'not-yet-made'");
    expect((await p.wg(['publish', 't', '--only'])).stderr.trim()).toBe(
      "wg: Cannot publish task 't': dangling dependencies: 'not-yet-made'",
    );
    await p.ok(['add', 'Not yet made']);
    await p.ok(['publish', 't']);
    expect(await p.json<{ paused: boolean; after: Array<{ id: string }> }>(['show', 't'])).toMatchObject({
      paused: false,
      after: [{ id: 'not-yet-made' }],
    });
  });
});

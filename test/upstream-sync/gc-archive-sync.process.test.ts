import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wgInProcess } from '../helpers/wg-cli';

/**
 * `wg gc` and `wg archive` in a folder upstream's wg also uses: graph.jsonl is left as upstream's own
 * gc or archive would leave it. Upstream removes each task with `remove_node`, which also takes its
 * id out of every other task's `after`, `before` and `requires`, and its modify_graph stamps each task
 * it changed with `last_interaction_at`; every other line is as it was.
 */
type Line = Record<string, unknown> & { id: string };

const GRAPH: Line[] = [
  {
    kind: 'task',
    id: 'f1',
    title: 'Failed one',
    status: 'failed',
    priority: 10,
    created_at: '2026-04-01T10:00:00+00:00',
    failure_reason: 'exit 1',
  },
  {
    kind: 'task',
    id: '.evaluate-f1',
    title: 'Evaluate: f1',
    status: 'done',
    priority: 5,
    after: ['f1'],
    created_at: '2026-04-01T10:00:01+00:00',
  },
  { kind: 'task', id: 'ab', title: 'Dropped', status: 'abandoned', priority: 10, before: ['d2'], created_at: '2026-04-01T10:00:02+00:00' },
  {
    kind: 'task',
    id: 'd2',
    title: 'Done after dropped',
    status: 'done',
    priority: 10,
    after: ['ab'],
    created_at: '2026-04-01T10:00:03+00:00',
    completed_at: '2026-04-02T10:00:00+00:00',
  },
  { kind: 'task', id: 'f2', title: 'Failed two', status: 'failed', priority: 10, created_at: '2026-04-01T10:00:04+00:00' },
  {
    kind: 'task',
    id: 'o1',
    title: 'Open after f2',
    status: 'open',
    priority: 10,
    after: ['f2'],
    requires: ['gpu', 'ab'],
    created_at: '2026-04-01T10:00:05+00:00',
  },
  { kind: 'resource', id: 'gpu', name: 'GPU', type: 'money', available: 1.0, unit: 'usd' },
];

/** Stands for the time a write stamped on a task it changed (checked to be a time, then compared as this). */
const STAMP = '<stamped>';

let root: string;
let wgDir: string;
const text = (lines: Line[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
const file = () =>
  readFileSync(join(wgDir, 'graph.jsonl'), 'utf8').replace(/"last_interaction_at":"([^"]*)"/g, (_all, time: string) =>
    Number.isNaN(Date.parse(time)) ? `"last_interaction_at":"not a time: ${time}"` : `"last_interaction_at":"${STAMP}"`,
  );
const wg = async (args: string[]) => {
  const result = await wgInProcess(args, { cwd: root, env: { WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '' } });
  if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed: ${result.stderr}`);
  return result;
};

/** What upstream's remove_node leaves of the graph: the tasks gone, their ids out of the others' lists. */
function upstreamRemoval(lines: Line[], ids: readonly string[]): string {
  const gone = new Set(ids);
  return text(
    lines
      .filter((l) => !gone.has(l.id))
      .map((l) => {
        if (l.kind !== 'task') return l;
        const out: Line = { ...l };
        for (const key of ['after', 'before', 'requires']) {
          const list = out[key];
          if (!Array.isArray(list)) continue;
          const kept = list.filter((v) => !gone.has(v as string));
          if (kept.length === list.length) continue;
          // serde's skip_serializing_if = "Vec::is_empty": an emptied list is left out.
          if (kept.length === 0) delete out[key];
          else out[key] = kept;
          out.last_interaction_at = STAMP;
        }
        return out;
      }),
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wg-gc-sync-'));
  wgDir = join(root, '.wg');
  mkdirSync(wgDir);
  writeFileSync(join(wgDir, 'graph.jsonl'), text(GRAPH));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('gc and archive in a folder upstream also uses', () => {
  it('wg gc removes the tasks from graph.jsonl exactly as upstream’s gc leaves it', async () => {
    await wg(['list']);
    expect((await wg(['gc'])).stdout).toBe('Removed 3 tasks:\n  .evaluate-f1\n  ab\n  f1');
    expect(file()).toBe(upstreamRemoval(GRAPH, ['.evaluate-f1', 'ab', 'f1']));
  });

  it('wg gc --dry-run leaves graph.jsonl byte for byte', async () => {
    await wg(['gc', '--dry-run']);
    expect(file()).toBe(text(GRAPH));
  });

  it('wg archive moves the lines to upstream’s archive.jsonl; restore and --undo bring them back into graph.jsonl', async () => {
    await wg(['archive', 'd2']);
    expect(file()).toBe(upstreamRemoval(GRAPH, ['d2']));
    const archived = readFileSync(join(wgDir, 'archive.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    // Upstream's line as its archive writes it, and this app's own part beside it, under a key upstream does not read.
    expect(archived.map(({ desktop: _kept, ...line }) => line)).toEqual([GRAPH[3]]);
    expect(archived[0]).toHaveProperty('desktop');
    expect(JSON.parse(readFileSync(join(wgDir, 'archive-last-batch.json'), 'utf8'))).toMatchObject({ task_ids: ['d2'] });
    await wg(['archive', '--undo']);
    const back = file()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(back.find((l) => l.id === 'd2')).toMatchObject({ status: 'done', after: ['ab'], completed_at: '2026-04-02T10:00:00+00:00' });
    expect(readFileSync(join(wgDir, 'archive.jsonl'), 'utf8')).toBe('');
  });
});

describe('an archived task and an older graph.jsonl', () => {
  it('a stale graph.jsonl written back does not bring an archived task back into the graph: the version is refused', async () => {
    const lines: Line[] = [
      { kind: 'task', id: 'open1', title: 'Open', status: 'open', created_at: '2026-04-01T10:00:00+00:00' },
      {
        kind: 'task',
        id: 'solo',
        title: 'Solo',
        status: 'done',
        created_at: '2026-04-01T10:00:01+00:00',
        completed_at: '2026-04-02T10:00:00+00:00',
      },
    ];
    writeFileSync(join(wgDir, 'graph.jsonl'), text(lines));
    await wg(['list']);
    await wg(['archive', 'solo']);
    // The version before the archive, put back as git puts a file in place (a new file renamed over it).
    writeFileSync(join(wgDir, 'graph.jsonl.new'), text(lines));
    renameSync(join(wgDir, 'graph.jsonl.new'), join(wgDir, 'graph.jsonl'));
    const listed = await wg(['list', '--json']);
    expect((JSON.parse(listed.stdout) as Line[]).map((t) => t.id)).toEqual(['open1']);
    expect(listed.stderr).toContain('it moves solo out of the archive, where it still is (wg archive restore solo brings it back)');
    await wg(['add', 'Later', '--id', 'later']);
    const ids = readFileSync(join(wgDir, 'graph.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as Line).id);
    expect(ids).toEqual(['open1', 'later']);
    expect(readFileSync(join(wgDir, 'archive.jsonl'), 'utf8')).toContain('"id":"solo"');
    // Restored, it is back in both.
    await wg(['archive', 'restore', 'solo']);
    expect(readFileSync(join(wgDir, 'graph.jsonl'), 'utf8')).toContain('"id":"solo"');
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPaths, type ProjectPaths } from '../../src/core/project';

/** A task line of upstream's graph.jsonl: its id, and any other fields (title and status default to the id and open). */
export type UpstreamLine = Record<string, unknown> & { id: string };

/** A fresh folder upstream also uses: `.wg/graph.jsonl` holding these tasks, and nothing else yet. */
export function upstreamFolder(prefix: string, lines: readonly UpstreamLine[]): { root: string; paths: ProjectPaths } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, '.wg'));
  writeFileSync(
    join(root, '.wg', 'graph.jsonl'),
    lines.map((l) => `${JSON.stringify({ kind: 'task', title: l.id, status: 'open', ...l })}\n`).join(''),
  );
  return { root, paths: projectPaths(join(root, '.wg')) };
}

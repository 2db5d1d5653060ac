import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import type { OpInput, OpName, OpOutput } from '../../src/shared/ops/registry';
import type { Task, TaskStatus } from '../../src/shared/task';
import { tempStore } from '../helpers/temp-store';

/** One task of an upstream graph.jsonl (upstream's test_helpers::make_task_with_status, with its edge lists). */
export interface UpstreamTask {
  id: string;
  status?: TaskStatus;
  after?: string[];
  before?: string[];
  assigned?: string;
  started_at?: string;
}

/** A store holding the graph as upstream's setup_workgraph writes it, and the operations run on it. */
export class SurgeryGraph {
  readonly warnings: string[] = [];
  readonly wgDir: string;

  private constructor(readonly temp: Awaited<ReturnType<typeof tempStore>>) {
    this.wgDir = join(this.temp.dir, '.wg');
    mkdirSync(this.wgDir, { recursive: true });
  }

  static async of(tasks: UpstreamTask[]): Promise<SurgeryGraph> {
    const graph = new SurgeryGraph(await tempStore());
    const lines = tasks.map((t) => JSON.stringify({ kind: 'task', title: t.id, status: 'open', ...t }));
    await graph.temp.store.importJsonl(lines.join('\n'));
    return graph;
  }

  get context(): OpContext {
    return {
      store: this.temp.store,
      paths: { dir: this.wgDir, root: this.temp.dir } as ProjectPaths,
      actor: 'user',
      warn: (message) => this.warnings.push(message),
    };
  }

  run<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
    return dispatch(name, input, this.context);
  }

  async task(id: string): Promise<Task> {
    return this.temp.store.get(id);
  }

  async has(id: string): Promise<boolean> {
    return (await this.temp.store.list()).some((t) => t.id === id);
  }

  /** Upstream's `after`, sorted (the order of a set of edges is not what these cases are about). */
  async after(id: string): Promise<string[]> {
    return [...(await this.task(id)).after].sort();
  }

  /** Upstream's `before` as graph.jsonl gets it. */
  async before(id: string): Promise<string[]> {
    const kept = (await this.task(id)).extra.before;
    return Array.isArray(kept) ? (kept as string[]) : [];
  }

  /** The task's line in upstream's graph.jsonl format, as the sync writes it. */
  async upstreamLine(id: string): Promise<Record<string, unknown>> {
    const line = (await this.temp.store.exportJsonl({ upstream: true }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.id === id);
    if (!line) throw new Error(`no line for ${id}`);
    return line;
  }

  async dispose(): Promise<void> {
    await this.temp.dispose();
  }
}

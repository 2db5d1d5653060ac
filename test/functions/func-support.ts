import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatResult } from '../../src/cli/format-result';
import { jsonView } from '../../src/cli/json-view';
import { functionsDir, saveFunctionAt } from '../../src/core/functions/function-files';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import type { TaskTemplate, TraceFunction } from '../../src/shared/functions';
import type { OpInput, OpName, OpOutput } from '../../src/shared/ops/registry';
import type { Task } from '../../src/shared/task';
import { tempStore } from '../helpers/temp-store';

export function template(id: string, fields: Partial<TaskTemplate> = {}): TaskTemplate {
  return { template_id: id, title: id, description: '', skills: [], after: [], loops_to: [], deliverables: [], tags: [], ...fields };
}

/** Upstream's sample_function of func_apply.rs and func_cmd.rs: plan → implement → validate (→ refine, looping back). */
export function sampleFunction(fields: Partial<TraceFunction> = {}): TraceFunction {
  return {
    kind: 'trace-function',
    version: 1,
    id: 'impl-feature',
    name: 'Implement Feature',
    description: 'Plan, implement, test a new feature',
    extracted_from: [{ task_id: 'impl-global-config', run_id: 'run-003', timestamp: '2026-02-18T14:30:00Z' }],
    extracted_by: 'scout',
    extracted_at: '2026-02-19T12:00:00Z',
    tags: ['implementation'],
    inputs: [
      { name: 'feature_name', type: 'string', description: 'Short name for the feature', required: true, example: 'global-config' },
      { name: 'test_command', type: 'string', description: 'Command to verify', required: false, default: 'cargo test' },
    ],
    tasks: [
      template('plan', {
        title: 'Plan {{input.feature_name}}',
        description: 'Plan the implementation of {{input.feature_name}}',
        skills: ['analysis'],
        role_hint: 'analyst',
      }),
      template('implement', {
        title: 'Implement {{input.feature_name}}',
        description: 'Implement the feature. Run: {{input.test_command}}',
        skills: ['implementation'],
        after: ['plan'],
        role_hint: 'programmer',
      }),
      template('validate', {
        title: 'Validate {{input.feature_name}}',
        description: 'Validate the implementation',
        skills: ['review'],
        after: ['implement'],
      }),
      template('refine', {
        title: 'Refine {{input.feature_name}}',
        description: 'Address issues found during validation',
        after: ['validate'],
        loops_to: [{ target: 'validate', max_iterations: 3 }],
      }),
    ],
    outputs: [],
    visibility: 'internal',
    redacted_fields: [],
    ...fields,
  };
}

/** A project (a store and its workgraph folder) where `wg func` runs through the registry. */
export class FuncProject {
  readonly wgDir: string;
  readonly warnings: string[] = [];

  private constructor(readonly temp: Awaited<ReturnType<typeof tempStore>>) {
    this.wgDir = join(this.temp.dir, '.wg');
    mkdirSync(this.wgDir, { recursive: true });
  }

  static async create(): Promise<FuncProject> {
    return new FuncProject(await tempStore());
  }

  get funcDir(): string {
    return functionsDir(this.wgDir);
  }

  save(func: TraceFunction, dir = this.funcDir): void {
    saveFunctionAt(func, join(dir, `${func.id}.yaml`));
  }

  /** Tasks as upstream's setup_graph writes them (done unless said). */
  async tasks(lines: Array<Record<string, unknown>>): Promise<void> {
    await this.temp.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, status: 'done', ...l })).join('\n'));
  }

  get context(): OpContext {
    return {
      store: this.temp.store,
      paths: { dir: this.wgDir, root: this.temp.dir } as ProjectPaths,
      actor: 'user',
      warn: (line) => this.warnings.push(line),
    };
  }

  run<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
    return dispatch(name, input, this.context);
  }

  /** The operation as a caller on another machine sends it: a person's token (`person`) or an agent run's credential (`agent`). */
  runAs<N extends OpName>(caller: Pick<OpContext, 'person' | 'agent'>, name: N, input: OpInput<N>): Promise<OpOutput<N>> {
    return dispatch(name, input, { ...this.context, ...caller });
  }

  /** What `wg` prints for people. */
  async text<N extends OpName>(name: N, input: OpInput<N>): Promise<string> {
    return formatResult(name, await this.run(name, input), undefined, input as Record<string, unknown>);
  }

  /** What `wg … --json` prints. */
  async json<N extends OpName>(name: N, input: OpInput<N>): Promise<unknown> {
    return JSON.parse(JSON.stringify(jsonView(name, await this.run(name, input))));
  }

  async has(id: string): Promise<boolean> {
    return (await this.temp.store.list()).some((t) => t.id === id);
  }

  async task(id: string): Promise<Task> {
    return this.temp.store.get(id);
  }

  async dispose(): Promise<void> {
    await this.temp.dispose();
  }
}

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Agent } from '../../../src/shared/agent';
import type { ChangeEvent, OutputEvent } from '../../../src/shared/api-contract';
import { createClient, type Transport, type WgClient } from '../../../src/shared/client';
import type { OpName, OpOutput } from '../../../src/shared/ops/registry';
import type { RunEvent } from '../../../src/shared/run-event';
import type { Task } from '../../../src/shared/task';
import type { Backend } from '../../../src/renderer/api/backend';
import { openCoordinator, type RunningCoordinator } from '../../../src/core/service/coordinator-service';
import { createServiceLog, type ServiceLog } from '../../../src/core/service/service-log';
import { projectPaths } from '../../../src/core/project';
import { openReadOnlyHost } from '../../../src/core/read-only-host';
import { removeTasks } from '../../../src/core/store/task-removal';
import { RunLogWriter, runDir } from '../../../src/core/run-folder/run-log';
import type { Store } from '../../../src/core/store/store';
import type { AgentUpdate } from '../../../src/core/store/agent-records';
import { onTestFinished } from 'vitest';
import { processAlive } from '../../../src/core/processes/process-group';

/** Linux's ceiling for pid_max (2^22): no process anywhere has a pid above it. */
export const PID_MAX_LIMIT = 4_194_304;

/**
 * Each test process keeps its projects in a folder of its own, and their coordinators' logs beside them (electron-log
 * appends in batches, after a project's folder is gone). A test process is ended without its exit handlers running,
 * so the next run's first project removes the folders of processes that ended.
 */
const PARENT = join(tmpdir(), `wg-window-${process.pid}`);

function projectFolder(): string {
  if (!existsSync(PARENT)) {
    for (const name of readdirSync(tmpdir())) {
      const pid = /^wg-window-(\d+)$/.exec(name)?.[1];
      if (pid !== undefined && !processAlive(Number(pid))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    mkdirSync(join(PARENT, 'logs'), { recursive: true });
  }
  return mkdtempSync(join(PARENT, 'project-'));
}

/**
 * A real project for the renderer's tests: a temporary folder coordinated in this process exactly as the
 * desktop app coordinates one (`openCoordinator`, the engine paused so that no agent starts), its
 * operations run by the real `dispatch` over the real store. What the tests set up goes in through the
 * store's own write paths (a graph.jsonl merge, the agents table, a run's output files), and every
 * commit reaches the window as a change event, as over IPC.
 */
export class Workgraph {
  /** Every operation the window called, in order, with its input as sent. */
  readonly calls: Array<{ name: OpName; input: unknown }> = [];
  readonly transport: Transport;
  readonly client: WgClient;
  private readonly outputListeners = new Set<(event: OutputEvent) => void>();
  private closed = false;

  private constructor(
    readonly folder: string,
    private running: RunningCoordinator,
    private readonly log: ServiceLog,
  ) {
    this.transport = async (name, input) => {
      this.calls.push({ name, input });
      // As it crosses IPC: the window never shares objects with the store.
      return JSON.parse(JSON.stringify((await this.coordinator.dispatch(name, input, 'app')) ?? null));
    };
    this.client = createClient(this.transport);
    running.onOutput((event) => this.output(event));
  }

  get coordinator(): RunningCoordinator {
    return this.running;
  }

  /** The coordinator stopped as `wg service stop` stops it: its API and event stream gone, the project left as it is. */
  async stopCoordinator(): Promise<void> {
    await this.running.close({ killAgents: false });
  }

  /**
   * The coordinator started again on the address it served before (a restarted `wg service start`), paused as at
   * first, with the same token: a window left open on the old address finds it there.
   */
  async startCoordinatorAgain(): Promise<void> {
    const listen = `${new URL(this.running.url).host}`;
    this.running = await openCoordinator({ paths: this.running.paths, host: 'app', log: this.log, listen: { listen } });
    await this.running.control.pause();
    this.running.onOutput((event) => this.output(event));
  }

  /** A fresh project (its own global folder too, so nobody's settings reach it), closed and removed when the test ends. */
  static async open(): Promise<Workgraph> {
    const project = await Workgraph.create();
    onTestFinished(() => project.close());
    return project;
  }

  /** A fresh project as `open` makes one, for a whole file's tests (a browser file's window): the caller closes it. */
  static async create(): Promise<Workgraph> {
    const folder = projectFolder();
    process.env.WG_HOME = join(folder, 'home');
    mkdirSync(join(folder, '.workgraph'));
    const log = createServiceLog(join(PARENT, 'logs', `${basename(folder)}.log`));
    const coordinator = await openCoordinator({ paths: projectPaths(join(folder, '.workgraph')), host: 'app', log });
    // Before its first turn (queued, not yet taken): the window's tests start no agent.
    await coordinator.control.pause();
    return new Workgraph(folder, coordinator, log);
  }

  /** The window in browser mode, served by this project's coordinator as `wg service start` serves it (`#token=…`). */
  get url(): string {
    return this.coordinator.url;
  }

  get store(): Store {
    return this.coordinator.store;
  }

  get backend(): Backend {
    return {
      client: this.client,
      events: {
        onChange: (listener: (event: ChangeEvent) => void) => this.coordinator.onChange((rev) => listener({ rev })),
        onOutput: (listener: (event: OutputEvent) => void) => {
          this.outputListeners.add(listener);
          return () => this.outputListeners.delete(listener);
        },
        watchOutput: (agentId: string, listener: (event: OutputEvent) => void) => {
          const one = (event: OutputEvent) => {
            if (event.agent_id === agentId) listener(event);
          };
          this.outputListeners.add(one);
          return () => this.outputListeners.delete(one);
        },
      },
      label: 'test project',
    };
  }

  /**
   * The same folder opened as the app opens one it cannot write (read-only-host.ts): this project's
   * coordinator is closed first, and the read-only host closes when the test ends.
   */
  async readOnlyBackend(): Promise<Backend> {
    await this.coordinator.close({ killAgents: true });
    const host = await openReadOnlyHost(this.coordinator.paths);
    onTestFinished(() => host.close({ stopAgents: false }));
    return {
      client: createClient((name, input) => host.dispatch(name, input)),
      events: {
        onChange: (listener) => host.onChange((rev) => listener({ rev })),
        onOutput: (listener) => host.onOutput(listener),
        watchOutput: (agentId, listener) =>
          host.onOutput((event) => {
            if (event.agent_id === agentId) listener(event);
          }),
      },
      label: 'read-only project',
    };
  }

  /** An operation as a test calls it, beside the window (not in `calls`). */
  call<N extends OpName>(name: N, input: unknown): Promise<OpOutput<N>> {
    return this.coordinator.dispatch(name, input, 'user');
  }

  /** An operation as an agent's run calls it (`wg … ` inside the run: WG_AGENT_ID, no run id). */
  callAsAgent<N extends OpName>(agentId: string, name: N, input: unknown): Promise<OpOutput<N>> {
    return this.coordinator.dispatch(name, input, agentId, { id: agentId, runId: null });
  }

  /** The tasks as the store holds them now, in the graph's order. */
  async allTasks(): Promise<Task[]> {
    return this.store.list();
  }

  /** A task as the store holds it now (undefined: not in the graph). */
  async task(id: string): Promise<Task | undefined> {
    return (await this.store.list()).find((task) => task.id === id);
  }

  /** A run as the store holds it now (undefined: no such run). */
  async agent(id: string): Promise<Agent | undefined> {
    return this.store.agents.find(id);
  }

  /**
   * Tasks as given (any state, log or evaluation), merged in as a graph.jsonl another tool wrote, and runs
   * as the coordinator records them.
   */
  async seed(tasks: readonly Task[], agents: readonly Agent[] = []): Promise<void> {
    if (tasks.length > 0) await this.store.importJsonl(tasks.map(line).join('\n'));
    // A run's launch record says whether it was started with the hooks that hand it messages (claim.ts).
    const launch = (agent: Agent) => (agent.message_hooks ? JSON.stringify({ message_hooks: true }) : null);
    if (agents.length > 0)
      await this.store.core.write(async (rev) => {
        for (const agent of agents) {
          await this.store.agents.insert({ ...agent, rev }, launch(agent));
          await this.store.agents.update(agent.id, ended(agent), rev);
        }
      });
  }

  /** A task changed as another tool changes it (a graph.jsonl merge): a new revision and a change event. */
  async update(id: string, change: Partial<Task>): Promise<Task> {
    await this.store.importJsonl(line({ ...(await this.store.get(id)), ...change }));
    return this.store.get(id);
  }

  /** Removed as upstream's gc removes tasks. */
  async remove(id: string): Promise<void> {
    await this.store.core.write((rev) => removeTasks(this.store.core, [id], rev));
  }

  /** A run changed as the coordinator changes it (its state, its end, what it cost). */
  async updateAgent(id: string, change: AgentUpdate): Promise<void> {
    await this.store.core.write((rev) => this.store.agents.update(id, change, rev));
  }

  /** Output of a run, written where a run's output goes and told as the run monitor tells it. */
  appendOutput(agentId: string, events: readonly RunEvent[]): void {
    const writer = new RunLogWriter(runDir(this.coordinator.paths.runsDir, agentId));
    writer.appendAll(events);
    const total = writer.total;
    writer.close();
    this.output({ agent_id: agentId, total });
  }

  /** A run's output of `total` events, `at(i)` the i-th: written to its run log in pieces, told once it is all there. */
  writeOutput(agentId: string, total: number, at: (index: number) => RunEvent): void {
    const writer = new RunLogWriter(runDir(this.coordinator.paths.runsDir, agentId));
    const PIECE = 10_000;
    for (let start = 0; start < total; start += PIECE)
      writer.appendAll(Array.from({ length: Math.min(PIECE, total - start) }, (_, i) => at(start + i)));
    const written = writer.total;
    writer.close();
    this.output({ agent_id: agentId, total: written });
  }

  /** An output event as the coordinator tells it (e.g. that a run's owner on a team cannot be reached now). */
  tellOutput(event: OutputEvent): void {
    this.output(event);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.coordinator.close({ killAgents: true });
    rmSync(this.folder, { recursive: true, force: true });
  }

  private output(event: OutputEvent): void {
    for (const listener of this.outputListeners) listener(event);
  }
}

/** A task as a graph.jsonl line: what the store derives (its revision, its worktree) left for the store to say. */
function line(task: Task): string {
  const { rev: _rev, worktree: _worktree, extra, ...fields } = task;
  return JSON.stringify({ ...extra, ...fields });
}

/**
 * What a run's row holds beyond its start (`insert`): its end and what it cost, as the coordinator records them.
 * No process of this machine is a test's run, and the coordinator looks at (and ends) a run's pid: a run keeps
 * its pid only when no Linux process can have it (above PID_MAX_LIMIT), for a page that shows it.
 */
function ended(agent: Agent): AgentUpdate {
  const pid = agent.pid !== null && agent.pid > PID_MAX_LIMIT ? agent.pid : null;
  const { ended_at, last_heartbeat, exit_code, reason, session_id, cost_usd, tokens_in, tokens_out, turns } = agent;
  return { pid, ended_at, last_heartbeat, exit_code, reason, session_id, cost_usd, tokens_in, tokens_out, turns };
}

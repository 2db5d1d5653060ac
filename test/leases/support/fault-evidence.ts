import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * What a fault test keeps when it fails: the folders of its coordinators and its database are temporary and go with
 * the test, so whatever explains a failure (a command run twice, a task stuck) is copied first to a folder under
 * test-output/, whose path is printed.
 */

export interface FaultScene {
  /** The test's name, for the folder's. */
  name: string;
  /** Each coordinator's project folder. */
  folders: readonly string[];
  /** The file the DAG's commands append their ids to. */
  out: string;
  /** Runs SQL in the project's schema (psql's unaligned output). */
  sql: (text: string) => string;
  /** The tasks a failure is about (a command run twice); empty: the tasks not done. */
  tasks?: readonly string[];
}

const quoted = (ids: readonly string[]) => ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');

/** Copies the evidence of a failed run to test-output/<name>-<time>/ and says where. Never throws. */
function keepFaultEvidence(scene: FaultScene): string {
  const dir = resolve('test-output', `${scene.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const attempt = (what: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      writeFileSync(join(dir, `failed-${what}.txt`), String(error));
    }
  };
  attempt('out', () => {
    if (existsSync(scene.out)) cpSync(scene.out, join(dir, 'done-ids'));
  });
  scene.folders.forEach((folder, i) => {
    const name = `coordinator-${String.fromCharCode(97 + i)}`;
    attempt(`${name}-service`, () => {
      const service = join(folder, '.workgraph/service');
      if (existsSync(service)) cpSync(service, join(dir, name, 'service'), { recursive: true, filter: (src) => !src.endsWith('.sock') });
      writeFileSync(join(dir, name, 'folder'), `${folder}\n`);
    });
  });
  let tasks = [...(scene.tasks ?? [])];
  attempt('tasks', () => {
    if (tasks.length === 0)
      tasks = scene.sql("SELECT id FROM tasks WHERE status <> 'done' ORDER BY id LIMIT 50").split('\n').filter(Boolean);
  });
  const dump = (file: string, text: string) => attempt(file, () => writeFileSync(join(dir, file), `${scene.sql(text)}\n`));
  dump('coordinators.txt', 'SELECT * FROM coordinators');
  dump('tasks-by-status.txt', 'SELECT status, count(*) FROM tasks GROUP BY status');
  dump('working-agents.txt', "SELECT * FROM agents WHERE state = 'working'");
  // Every agent-daemon job (a run left working under an ended job shows here), and every run in the order started.
  dump('daemon-jobs.txt', 'SELECT * FROM daemon_jobs ORDER BY created_at');
  dump('all-agents.txt', 'SELECT id, task_id, state, coordinator_id, runs_elsewhere, started_at, ended_at FROM agents ORDER BY started_at');
  if (tasks.length > 0) {
    const ids = quoted(tasks);
    dump('tasks.txt', `SELECT * FROM tasks WHERE id IN (${ids}) ORDER BY id`);
    dump('task-log.txt', `SELECT * FROM task_log WHERE task_id IN (${ids}) ORDER BY id`);
    dump('agents.txt', `SELECT * FROM agents WHERE task_id IN (${ids}) ORDER BY task_id, started_at`);
    // Each run's folder, wherever its coordinator kept it.
    attempt('runs', () => {
      const agents = scene.sql(`SELECT id FROM agents WHERE task_id IN (${ids})`).split('\n').filter(Boolean);
      scene.folders.forEach((folder, i) => {
        const runs = join(folder, '.workgraph/runs');
        if (!existsSync(runs)) return;
        for (const run of readdirSync(runs)) {
          if (agents.includes(run))
            cpSync(join(runs, run), join(dir, `coordinator-${String.fromCharCode(97 + i)}`, 'runs', run), { recursive: true });
        }
      });
    });
  }
  console.error(`the failed run's evidence is kept in ${dir}`);
  return dir;
}

/** Runs `body`; when it fails, keeps the evidence `scene()` describes first. */
export async function keepingEvidence(scene: () => FaultScene, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    keepFaultEvidence(scene());
    throw error;
  }
}

/**
 * What a run that never ends shows: the tasks, runs, coordinators and jobs, the end of each coordinator's log, and
 * `more` (an agent daemon's log, say).
 */
function whatIsStuck(scene: FaultScene, more: readonly string[]): string {
  const parts = [
    scene.sql('SELECT status, count(*) FROM tasks GROUP BY status'),
    scene.sql("SELECT a.id, a.task_id, a.coordinator_id, a.runs_elsewhere, a.purpose, a.pid FROM agents a WHERE a.state = 'working'"),
    scene.sql("SELECT id, executor, assigned, not_before FROM tasks WHERE status IN ('open', 'in-progress') AND blockers = 0 LIMIT 10"),
    scene.sql('SELECT id, role, epoch, pid, folder FROM coordinators'),
    scene.sql("SELECT lease_id, agent_id, task_id, daemon_host, state FROM daemon_jobs WHERE state IN ('assigned', 'running')"),
  ];
  for (const folder of scene.folders) {
    const log = join(folder, '.workgraph/service/daemon.log');
    if (existsSync(log)) parts.push(`${folder}:\n${readFileSync(log, 'utf8').split('\n').slice(-25).join('\n')}`);
  }
  return [...parts, ...more].join('\n---\n');
}

/**
 * A wait that ran out, with what is stuck in its message: CI keeps no evidence folder, and shows a failure's message
 * whole where it shows only a part of the rest of the output.
 */
export function withWhatIsStuck(error: unknown, scene: FaultScene, more: () => string[] = () => []): Error {
  let what: string;
  try {
    what = whatIsStuck(scene, more());
  } catch (failure) {
    what = `(what is stuck could not be read: ${String(failure)})`;
  }
  return new Error(`${error instanceof Error ? error.message : String(error)}\n${what}`, { cause: error });
}

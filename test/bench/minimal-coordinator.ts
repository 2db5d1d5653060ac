/**
 * A reference for the DAG figure of `bench:dispatch`: the least a coordinator with the same
 * guarantees costs per task here, without the product around it. Each turn is one SQLite transaction
 * (record started pids, settle ended runs, claim ready tasks with an agent row and a log line, in
 * tables indexed like ours); a run starts only after its claim commits, in a run folder of its own
 * (pid, stdout, stderr and exit files), as the leader of its own process group, started by a bash
 * job-control helper whose job writes and reports the exit status (and leaves the job table at once).
 * `inline` runs the line in the job's shell; `subshell` adds the fork that a line that may end the
 * shell needs (what our wrapper does for such lines).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { clockTicks, ticksOf } from './proc-cpu';

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO meta VALUES ('rev', 0);
  CREATE TABLE tasks (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, status TEXT NOT NULL, blockers INTEGER NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0, assigned TEXT, started_at TEXT, completed_at TEXT, rev INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX tasks_ready ON tasks (priority, seq) WHERE status = 'open' AND blockers = 0;
  CREATE INDEX tasks_status ON tasks (status);
  CREATE INDEX tasks_rev ON tasks (rev);
  CREATE TABLE deps (task_id TEXT NOT NULL, dep_id TEXT NOT NULL, PRIMARY KEY (task_id, dep_id));
  CREATE INDEX deps_by_dep ON deps (dep_id, task_id);
  CREATE TABLE agents (id TEXT PRIMARY KEY, task_id TEXT NOT NULL, state TEXT NOT NULL, pid INTEGER, started_at TEXT,
    ended_at TEXT, exit_code INTEGER, rev INTEGER NOT NULL);
  CREATE INDEX agents_by_state ON agents (state);
  CREATE TABLE task_log (id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, timestamp TEXT NOT NULL, message TEXT NOT NULL);
  CREATE INDEX task_log_by_task ON task_log (task_id, id);
`;

function helperScript(mode: 'inline' | 'subshell'): string {
  const run = mode === 'inline' ? 'eval "$3" 3>&-' : '(eval "$3") 3>&-';
  return `set -m
j() {
  d=$R/$1
  ( ${run}; s=$?; echo $s > "$d/exit"; echo "x $1 $s" >&3 ) 3>&1 <"$2" >>"$d/stdout" 2>>"$d/stderr" &
  echo $! > "$d/pid"; echo "s $1 $!"; disown $!
}
`;
}

export interface MinimalRun {
  wall: number;
  /** CPU of this process's scheduling thread over the run. */
  schedulerCpuMs: number;
  /** The helper, its jobs and the scheduler together. */
  treeCpuMs: number;
  /** The run's folder, left for the caller to remove. */
  root: string;
}

/** Runs `dag` (task i depends on the ids in dag[i]; ids are `t<i>`) with no-op shell tasks, `slots` at a time, in a folder under `base`. */
export async function minimalRun(dag: string[][], mode: 'inline' | 'subshell', slots = 8, base = tmpdir()): Promise<MinimalRun> {
  const root = mkdtempSync(join(base, 'wg-bench-minimal-'));
  const runs = join(root, 'runs');
  mkdirSync(runs);
  const db = new Database(join(root, 'graph.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const addTask = db.prepare("INSERT INTO tasks (id, status, blockers) VALUES (?, 'open', ?)");
  const addDep = db.prepare('INSERT INTO deps VALUES (?, ?)');
  db.transaction(() => dag.forEach((deps, i) => {
    addTask.run(`t${i}`, deps.length);
    for (const dep of deps) addDep.run(`t${i}`, dep);
  }))();
  const bump = db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'rev' RETURNING value").pluck();
  const ready = db.prepare("SELECT id FROM tasks INDEXED BY tasks_ready WHERE status = 'open' AND blockers = 0 ORDER BY priority, seq LIMIT ?").pluck();
  const claim = db.prepare("UPDATE tasks SET status = 'in-progress', assigned = ?, started_at = ?, rev = ? WHERE id = ? AND status = 'open'");
  const addAgent = db.prepare("INSERT INTO agents (id, task_id, state, started_at, rev) VALUES (?, ?, 'working', ?, ?)");
  const log = db.prepare('INSERT INTO task_log (task_id, timestamp, message) VALUES (?, ?, ?)');
  const recordPid = db.prepare('UPDATE agents SET pid = ? WHERE id = ?');
  const endAgent = db.prepare("UPDATE agents SET state = 'done', ended_at = ?, exit_code = ?, rev = ? WHERE id = ? AND state = 'working'");
  const complete = db.prepare("UPDATE tasks SET status = ?, completed_at = ?, rev = ? WHERE id = ? AND assigned = ? AND status = 'in-progress'");
  const unblock = db.prepare('UPDATE tasks SET blockers = blockers - 1, rev = ? WHERE id IN (SELECT task_id FROM deps WHERE dep_id = ?)');

  const helper = spawn('bash', ['-s'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  helper.stdin.write(`${helperScript(mode)}R='${runs}'\n`);
  const ended: { agent: string; status: number }[] = [];
  const pids: [string, number][] = [];
  const taskOf = new Map<string, string>();
  let working = 0;
  let finished = 0;
  let agentSeq = 0;
  let queued = false;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();

  return new Promise<MinimalRun>((resolve) => {
    const turn = () => {
      queued = false;
      const now = new Date().toISOString();
      const starting: string[] = [];
      db.transaction(() => {
        const rev = bump.get() as number;
        for (const [agent, pid] of pids.splice(0)) recordPid.run(pid, agent);
        for (const { agent, status } of ended.splice(0)) {
          const task = taskOf.get(agent) as string;
          endAgent.run(now, status, rev, agent);
          complete.run(status === 0 ? 'done' : 'failed', now, rev, task, agent);
          log.run(task, now, `agent ${agent} exited ${status}`);
          if (status === 0) unblock.run(rev, task);
          working--;
          finished++;
        }
        for (const task of ready.all(slots - working) as string[]) {
          const agent = `agent-${++agentSeq}`;
          taskOf.set(agent, task);
          claim.run(agent, now, rev, task);
          addAgent.run(agent, task, now, rev);
          log.run(task, now, `Spawned as ${agent}`);
          working++;
          starting.push(agent);
        }
      })();
      // Claimed on disk first, then started.
      let lines = '';
      for (const agent of starting) {
        mkdirSync(join(runs, agent));
        lines += `j ${agent} /dev/null true\n`;
      }
      if (lines) helper.stdin.write(lines);
      if (finished === dag.length) done();
    };
    const wake = () => {
      if (!queued) {
        queued = true;
        setImmediate(turn);
      }
    };
    const done = () => {
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      const cpu = process.cpuUsage(cpuBefore);
      const schedulerCpuMs = (cpu.user + cpu.system) / 1000;
      // The helper collects its last jobs a moment after their reports.
      setTimeout(() => {
        const helperMs = (ticksOf(`/proc/${helper.pid}/stat`, [14, 15, 16, 17]) / clockTicks()) * 1000;
        helper.stdin.end();
        db.close();
        resolve({ wall, schedulerCpuMs, treeCpuMs: schedulerCpuMs + helperMs, root });
      }, 200);
    };
    createInterface({ input: helper.stdout }).on('line', (line) => {
      const [kind, agent, value] = line.split(' ');
      if (kind === 's') pids.push([agent as string, Number(value)]);
      else if (kind === 'x') ended.push({ agent: agent as string, status: Number(value) });
      wake();
    });
    wake();
  });
}

import type { Evaluation, JsonValue, Task } from '../../shared/task';
import { conflict, invalid } from '../../shared/errors';
import type { StoreCore } from './store-core';
import { claimRefusal } from './claim-rules';
import { linkDependency, unlinkDependency } from './dependency-writes';
import { rearmSchedule } from './schedule-writes';
import { getTask, requireTaskRow } from './task-reads';
import { appendLog, insertTask, patchTask, transition, type NewTask, type TaskPatch } from './task-writes';

/** The task verbs people and agents use. Each is one transaction and returns the task as it now is. */
export class TaskCommands {
  constructor(private readonly core: StoreCore) {}

  add(input: NewTask, actor: string): Task {
    const id = this.core.write((rev) => {
      const created = insertTask(this.core, input, rev);
      appendLog(this.core, created, actor, 'Task created');
      return created;
    });
    return getTask(this.core, id);
  }

  edit(id: string, patch: TaskPatch): Task {
    this.core.write((rev) => patchTask(this.core, id, patch, rev));
    return getTask(this.core, id);
  }

  addDependency(task: string, dependency: string): Task {
    this.core.write((rev) => linkDependency(this.core, task, dependency, rev));
    return getTask(this.core, task);
  }

  removeDependency(task: string, dependency: string): Task {
    this.core.write((rev) => unlinkDependency(this.core, task, dependency, rev));
    return getTask(this.core, task);
  }

  /**
   * Takes a task for an agent. Only a ready task, unless `force` (then any open, blocked or
   * incomplete one, as upstream's `wg claim` allows); the refusal says what it waits for.
   */
  claim(id: string, agent: string, actor: string, force = false): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      const refusal = claimRefusal(this.core, row, force);
      if (refusal) throw conflict(refusal);
      transition(this.core, row, { status: 'in-progress', assigned: agent, started_at: this.core.nowIso(), failure_reason: null }, rev);
      appendLog(this.core, id, actor, `Claimed by ${agent}${force ? ' (forced)' : ''}`);
    });
    return getTask(this.core, id);
  }

  unclaim(id: string, actor: string, why = 'Unclaimed'): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      if (row.status !== 'in-progress') throw conflict(`task '${id}' is ${row.status}, not in progress`);
      transition(this.core, row, { status: 'open', assigned: null, started_at: null }, rev);
      appendLog(this.core, id, actor, why);
    });
    return getTask(this.core, id);
  }

  done(id: string, options: { agent?: string; artifacts?: string[] | Record<string, JsonValue> }, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      if (row.status === 'done' || row.status === 'abandoned') throw conflict(`task '${id}' is already ${row.status}`);
      const artifacts = JSON.parse(row.artifacts) as string[];
      let results = JSON.parse(row.results) as Record<string, JsonValue>;
      if (Array.isArray(options.artifacts)) {
        for (const a of options.artifacts) if (!artifacts.includes(a)) artifacts.push(a);
      } else if (options.artifacts) {
        results = { ...results, ...options.artifacts };
      }
      transition(this.core, row, {
        status: 'done', completed_at: this.core.nowIso(), failure_reason: null, artifacts, results,
        assigned: row.assigned ?? options.agent ?? null,
      }, rev);
      // The reporting agent's run is over: record it so the coordinator does not treat the task as live.
      const agent = options.agent ?? row.assigned;
      if (agent) {
        this.core.sql("UPDATE agents SET state = 'done', ended_at = ?, rev = ? WHERE id = ? AND state = 'working' AND remote = 1")
          .run(this.core.nowIso(), rev, agent);
      }
      appendLog(this.core, id, options.agent ?? actor, 'Task marked done');
      rearmSchedule(this.core, id, rev);
    });
    return getTask(this.core, id);
  }

  fail(id: string, reason: string | undefined, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      if (row.status === 'done' || row.status === 'abandoned') throw conflict(`task '${id}' is already ${row.status}`);
      transition(this.core, row, { status: 'failed', completed_at: this.core.nowIso(), failure_reason: reason ?? 'failed' }, rev);
      appendLog(this.core, id, actor, `Task failed: ${reason ?? 'no reason given'}`);
      rearmSchedule(this.core, id, rev);
    });
    return getTask(this.core, id);
  }

  log(id: string, message: string, actor: string): Task {
    this.core.write((rev) => {
      requireTaskRow(this.core, id);
      appendLog(this.core, id, actor, message);
      this.core.sql('UPDATE tasks SET rev = ? WHERE id = ?').run(rev, id);
    });
    return getTask(this.core, id);
  }

  artifact(id: string, value: string, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      const artifacts = JSON.parse(row.artifacts) as string[];
      if (!artifacts.includes(value)) artifacts.push(value);
      transition(this.core, row, { artifacts }, rev);
      appendLog(this.core, id, actor, `Artifact: ${value}`);
    });
    return getTask(this.core, id);
  }

  setPaused(id: string, paused: boolean, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      transition(this.core, row, { paused }, rev);
      appendLog(this.core, id, actor, paused ? 'Paused' : 'Published');
    });
    return getTask(this.core, id);
  }

  retry(id: string, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      if (!['failed', 'abandoned', 'incomplete'].includes(row.status)) {
        throw conflict(`task '${id}' is ${row.status}; only failed, abandoned or incomplete tasks can be retried`);
      }
      transition(this.core, row, {
        status: 'open', assigned: null, started_at: null, completed_at: null, failure_reason: null, retry_count: row.retry_count + 1,
      }, rev);
      appendLog(this.core, id, actor, `Retry #${row.retry_count + 1}`);
    });
    return getTask(this.core, id);
  }

  abandon(id: string, reason: string | undefined, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      if (row.status === 'done' || row.status === 'abandoned') throw conflict(`task '${id}' is already ${row.status}`);
      transition(this.core, row, { status: 'abandoned', completed_at: this.core.nowIso(), failure_reason: reason ?? null }, rev);
      appendLog(this.core, id, actor, `Abandoned${reason ? `: ${reason}` : ''}`);
    });
    return getTask(this.core, id);
  }

  evaluate(id: string, input: { score: number; dim?: Record<string, number>; evaluator?: string; notes?: string }, actor: string): Task {
    this.core.write((rev) => {
      const row = requireTaskRow(this.core, id);
      const evaluation: Evaluation = {
        score: input.score, dimensions: input.dim ?? {}, evaluator: input.evaluator ?? null, notes: input.notes ?? null,
        timestamp: this.core.nowIso(),
      };
      if (!Number.isFinite(evaluation.score)) throw invalid('score must be a number');
      transition(this.core, row, {
        evaluation: JSON.stringify(evaluation),
        // An evaluation is what a pending-eval task waits for.
        ...(row.status === 'pending-eval' ? { status: 'done' as const, completed_at: row.completed_at ?? this.core.nowIso() } : {}),
      }, rev);
      appendLog(this.core, id, actor, `Evaluated: ${input.score}`);
      if (row.status === 'pending-eval') rearmSchedule(this.core, id, rev);
    });
    return getTask(this.core, id);
  }
}

import type { Agent } from '../../../src/shared/agent';
import type { Task } from '../../../src/shared/task';

const EPOCH = '2025-01-01T00:00:00.000Z';

/** A complete task with defaults; tests override what they care about. */
export function makeTask(fields: Partial<Task> & { id: string }): Task {
  return {
    kind: 'task',
    title: fields.id,
    description: '',
    status: 'open',
    paused: false,
    priority: 'normal',
    priority_value: 10,
    tags: [],
    after: [],
    loop_back: [],
    model: null,
    executor: null,
    exec: null,
    repo: null,
    role: null,
    schedule: null,
    not_before: null,
    assigned: null,
    agent: null,
    created_at: EPOCH,
    started_at: null,
    completed_at: null,
    log: [],
    artifacts: [],
    results: {},
    retry_count: 0,
    max_retries: 2,
    rescue_count: 0,
    failure_reason: null,
    evaluation: null,
    session_id: null,
    cost_usd: 0,
    tokens_in: 0,
    tokens_out: 0,
    extra: {},
    worktree: null,
    rev: 1,
    ...fields,
  };
}

export function makeAgent(fields: Partial<Agent> & { id: string; task_id: string }): Agent {
  return {
    executor: 'shell',
    model: null,
    model_source: null,
    pid: 4242,
    state: 'working',
    runs_elsewhere: false,
    started_at: EPOCH,
    ended_at: null,
    last_heartbeat: null,
    exit_code: null,
    reason: null,
    output_path: null,
    session_id: null,
    cost_usd: 0,
    tokens_in: 0,
    tokens_out: 0,
    turns: 0,
    purpose: 'task',
    rev: 1,
    ...fields,
  };
}

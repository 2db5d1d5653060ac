import type { Agent } from '../../../src/shared/agent';
import type { ConnectedDaemon, RemoteJob } from '../../../src/shared/remote-types';
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

/** The agent daemon 'box' on token 'laptop' (role dev, repo acme/app, claude), one of two slots busy. */
export function makeDaemon(fields: Partial<ConnectedDaemon> = {}): ConnectedDaemon {
  return {
    id: 'box#1',
    host: 'box',
    version: '0.1.0',
    token: 'laptop',
    roles: ['dev'],
    repos: ['acme/app'],
    clis: [{ name: 'claude', version: '2.1.330' }],
    capacity: 2,
    active: 1,
    connected_at: EPOCH,
    last_heartbeat: EPOCH,
    downgraded_until: null,
    downgrade_reason: null,
    ...fields,
  };
}

/** A job of that daemon, running unless told otherwise. */
export function makeRemoteJob(fields: Partial<RemoteJob> & { lease_id: string; agent_id: string; task_id: string }): RemoteJob {
  return {
    daemon_host: 'box',
    token_name: 'laptop',
    repo: 'acme/app',
    role: 'dev',
    state: 'running',
    created_at: EPOCH,
    ended_at: null,
    outcome: null,
    ...fields,
  };
}

/**
 * Versioned schema migrations, applied in order inside one transaction each.
 * Never edit a released migration; append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: the task graph, its log, agents */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO meta (key, value) VALUES ('rev', 0), ('task_seq', 0), ('agent_seq', 0);

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open','in-progress','pending-eval','done','failed','abandoned')),
    paused INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 2,
    model TEXT, executor TEXT, exec TEXT, schedule TEXT, not_before TEXT,
    assigned TEXT, agent TEXT,
    created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT,
    artifacts TEXT NOT NULL DEFAULT '[]',
    results TEXT NOT NULL DEFAULT '{}',
    retry_count INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 2,
    failure_reason TEXT,
    evaluation TEXT,
    session_id TEXT,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    -- Dependencies not yet done or abandoned: readiness is then an index lookup, not a graph walk.
    blockers INTEGER NOT NULL DEFAULT 0,
    rev INTEGER NOT NULL
  );
  CREATE INDEX tasks_ready ON tasks (priority, seq) WHERE status = 'open' AND paused = 0 AND blockers = 0;
  CREATE INDEX tasks_status ON tasks (status);
  CREATE INDEX tasks_rev ON tasks (rev);

  CREATE TABLE deps (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    dep_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, dep_id)
  ) WITHOUT ROWID;
  CREATE INDEX deps_by_dep ON deps (dep_id, task_id);

  CREATE TABLE task_tags (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (task_id, tag)
  ) WITHOUT ROWID;
  CREATE INDEX task_tags_by_tag ON task_tags (tag);

  CREATE TABLE task_log (
    id INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    timestamp TEXT NOT NULL,
    actor TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX task_log_by_task ON task_log (task_id, id);

  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    executor TEXT NOT NULL,
    model TEXT,
    model_source TEXT,
    pid INTEGER,
    state TEXT NOT NULL CHECK (state IN ('working','done','failed','dead','killed')),
    remote INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    last_heartbeat TEXT,
    exit_code INTEGER,
    reason TEXT,
    output_path TEXT,
    session_id TEXT,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    turns INTEGER NOT NULL DEFAULT 0,
    rev INTEGER NOT NULL
  );
  CREATE INDEX agents_by_state ON agents (state);
  CREATE INDEX agents_by_task ON agents (task_id);
  CREATE INDEX agents_rev ON agents (rev);
  `,
  /* 2: how each run was launched (JSON), kept with its agent rather than in a file beside its output */ `
  ALTER TABLE agents ADD COLUMN launch TEXT;
  `,
  /* 3: the soonest scheduled task, found without reading every ready one (asked after every coordinator turn) */ `
  CREATE INDEX tasks_due ON tasks (not_before) WHERE status = 'open' AND paused = 0 AND blockers = 0 AND not_before IS NOT NULL;
  `,
  /* 4: remote agent daemons: where a task may run, agent tokens (hash and last four only), and jobs with their leases */ `
  ALTER TABLE tasks ADD COLUMN repo TEXT;
  ALTER TABLE tasks ADD COLUMN role TEXT;

  CREATE TABLE agent_tokens (
    name TEXT PRIMARY KEY,
    -- SHA-256 of the whole token, hex: the token itself is shown once and never stored.
    hash TEXT NOT NULL UNIQUE,
    last4 TEXT NOT NULL,
    -- JSON arrays; empty = any role / any repository.
    roles TEXT NOT NULL DEFAULT '[]',
    repos TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
  );

  -- One row per remote run (agent), claimed with its lease before the job is sent to a daemon.
  CREATE TABLE remote_jobs (
    lease_id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL UNIQUE,
    task_id TEXT NOT NULL,
    token_name TEXT NOT NULL,
    daemon_host TEXT NOT NULL,
    repo TEXT NOT NULL,
    role TEXT,
    state TEXT NOT NULL CHECK (state IN ('assigned','running','done','failed','lost','cancelled')),
    created_at TEXT NOT NULL,
    claimed_at TEXT,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT
  );
  CREATE INDEX remote_jobs_active ON remote_jobs (state) WHERE state IN ('assigned','running');
  CREATE INDEX remote_jobs_ended ON remote_jobs (ended_at) WHERE ended_at IS NOT NULL;
  `,
  /*
   * An upstream workgraph graph as it is: every upstream status (waiting, blocked, pending-validation,
   * failed-pending-eval, incomplete, …), upstream's numeric priorities (higher first: 100 critical,
   * 50 high, 10 normal, 5 low, 0 idle; was a rank 0-3, lower first), max_retries unset meaning the
   * setting, the fields this app does not use kept as JSON (`extra`), dependencies its edges cannot
   * hold (`loose_deps`), upstream's non-task nodes, and a log entry's user. The tasks
   * table is rebuilt for its CHECK (migrations run with foreign keys off, so nothing cascades).
   * `upstream_checked`: whether a graph.jsonl beside the database was looked at (a database that
   * ever held a task predates the automatic import and is left alone).
   */ `
  CREATE TABLE tasks_new (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open','in-progress','waiting','blocked','done','failed','abandoned',
      'pending-validation','pending-eval','failed-pending-eval','incomplete')),
    paused INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 10,
    model TEXT, executor TEXT, exec TEXT, schedule TEXT, not_before TEXT,
    assigned TEXT, agent TEXT,
    created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT,
    artifacts TEXT NOT NULL DEFAULT '[]',
    results TEXT NOT NULL DEFAULT '{}',
    retry_count INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER,
    repo TEXT, role TEXT,
    failure_reason TEXT,
    evaluation TEXT,
    session_id TEXT,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}',
    blockers INTEGER NOT NULL DEFAULT 0,
    rev INTEGER NOT NULL
  );
  INSERT INTO tasks_new (id, seq, title, description, status, paused, priority, model, executor, exec, schedule, not_before,
    assigned, agent, created_at, started_at, completed_at, artifacts, results, retry_count, max_retries, repo, role, failure_reason,
    evaluation, session_id, cost_usd, tokens_in, tokens_out, blockers, rev)
  SELECT id, seq, title, description, status, paused, CASE priority WHEN 0 THEN 100 WHEN 1 THEN 50 WHEN 3 THEN 5 ELSE 10 END,
    model, executor, exec, schedule, not_before, assigned, agent, created_at, started_at, completed_at, artifacts, results,
    retry_count, max_retries, repo, role, failure_reason, evaluation, session_id, cost_usd, tokens_in, tokens_out, blockers, rev
  FROM tasks;
  DROP TABLE tasks;
  ALTER TABLE tasks_new RENAME TO tasks;
  CREATE INDEX tasks_ready ON tasks (priority DESC, seq) WHERE status IN ('open', 'incomplete') AND paused = 0 AND blockers = 0;
  CREATE INDEX tasks_due ON tasks (not_before)
    WHERE status IN ('open', 'incomplete') AND paused = 0 AND blockers = 0 AND not_before IS NOT NULL;
  CREATE INDEX tasks_status ON tasks (status);
  CREATE INDEX tasks_rev ON tasks (rev);
  -- Ready tasks of a given executor (the coordinator looks for those waiting for a person).
  CREATE INDEX tasks_ready_by_executor ON tasks (executor) WHERE status IN ('open', 'incomplete') AND paused = 0 AND blockers = 0;

  -- Dependencies an imported graph has that this app's edges cannot hold: on an id not in the graph
  -- ('missing': it blocks, as upstream), or closing one of upstream's cycles ('cycle': upstream's
  -- back edge, which does not block). Written back by export.
  CREATE TABLE loose_deps (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    dep_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('missing', 'cycle')),
    PRIMARY KEY (task_id, dep_id)
  ) WITHOUT ROWID;
  CREATE INDEX loose_deps_by_dep ON loose_deps (dep_id);

  CREATE TABLE other_nodes (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, node TEXT NOT NULL);

  ALTER TABLE task_log ADD COLUMN user TEXT;

  UPDATE tasks SET blockers = (
    SELECT count(*) FROM deps d JOIN tasks u ON u.id = d.dep_id
    WHERE d.task_id = tasks.id AND (
      (u.status NOT IN ('done', 'abandoned') AND NOT (substr(tasks.id, 1, 1) = '.' AND u.status IN ('pending-eval', 'failed-pending-eval')))
      OR (substr(tasks.id, 1, 1) <> '.' AND substr(u.id, 1, 1) <> '.' AND EXISTS (
        SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || u.id AND e.status NOT IN ('done', 'failed', 'abandoned')))));

  INSERT INTO meta (key, value) SELECT 'upstream_checked', CASE WHEN value > 0 THEN 1 ELSE 0 END FROM meta WHERE key = 'task_seq';
  `,
  /* the run id every process of a run carries (WG_RUN_ID): its reports must match it, and kills find its processes by it;
     and what the run is for (a task's work, or an internal run such as triage that uses no agent slot) */ `
  ALTER TABLE agents ADD COLUMN run_id TEXT;
  ALTER TABLE agents ADD COLUMN purpose TEXT NOT NULL DEFAULT 'task';
  `,
  /* worktrees: the git worktree each agent run works in, and what became of it (merged, conflict, kept) */ `
  CREATE TABLE worktrees (
    -- The folder name under .wg-worktrees/ (the agent that made it), or person:<task-id> for a person's own worktree.
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    -- The run using it now, or that used it last (a retry of the task reuses the worktree).
    agent_id TEXT,
    path TEXT NOT NULL,
    branch TEXT NOT NULL,
    base_branch TEXT NOT NULL,
    -- The base branch's tip it was made from: what "the agent's commits" are counted against.
    base_commit TEXT NOT NULL,
    owner TEXT NOT NULL CHECK (owner IN ('agent', 'person')),
    state TEXT NOT NULL CHECK (state IN ('active', 'conflict', 'merged', 'retired', 'removed')),
    merge_commit TEXT,
    conflict_files TEXT NOT NULL DEFAULT '[]',
    -- Untracked paths the project's setup script made: not anyone's work, so not "uncommitted changes".
    setup_files TEXT NOT NULL DEFAULT '[]',
    recover_branch TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL
  );
  CREATE INDEX worktrees_by_task ON worktrees (task_id);
  CREATE INDEX worktrees_by_agent ON worktrees (agent_id);
  `,
  /* the agency (identities, evaluations history, assignments) and the evaluation gate's counters */ `
  CREATE TABLE agency_components (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, category TEXT NOT NULL,
    content TEXT NOT NULL, scope TEXT, extra TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL
  );
  CREATE TABLE agency_outcomes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, success_criteria TEXT NOT NULL DEFAULT '[]',
    scope TEXT, extra TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL
  );
  CREATE TABLE agency_tradeoffs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, acceptable TEXT NOT NULL DEFAULT '[]',
    unacceptable TEXT NOT NULL DEFAULT '[]', scope TEXT, extra TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL
  );
  CREATE TABLE agency_roles (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', component_ids TEXT NOT NULL DEFAULT '[]',
    outcome_id TEXT NOT NULL DEFAULT '', default_exec_mode TEXT, default_context_scope TEXT,
    extra TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL
  );
  CREATE TABLE agency_agents (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, role_id TEXT NOT NULL, tradeoff_id TEXT NOT NULL,
    executor TEXT NOT NULL DEFAULT 'claude', model TEXT, provider TEXT, capabilities TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL
  );
  CREATE INDEX agency_agents_by_role ON agency_agents (role_id);
  CREATE INDEX agency_agents_by_tradeoff ON agency_agents (tradeoff_id);
  -- Every evaluation ever recorded (a task keeps only its latest in tasks.evaluation).
  CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, agent_id TEXT, role_id TEXT, tradeoff_id TEXT,
    score REAL NOT NULL, dimensions TEXT NOT NULL DEFAULT '{}', notes TEXT, evaluator TEXT, model TEXT,
    source TEXT NOT NULL, timestamp TEXT NOT NULL
  );
  CREATE INDEX evaluations_by_task ON evaluations (task_id, id);
  CREATE INDEX evaluations_by_agent ON evaluations (agent_id);
  CREATE TABLE agency_assignments (
    task_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, exec_mode TEXT,
    context_scope TEXT, reason TEXT NOT NULL, source TEXT NOT NULL, timestamp TEXT NOT NULL
  );
  -- Failed evaluations that reopened the task (upstream's rescue_count), and evaluator runs that gave no
  -- usable score since the task last became pending-eval.
  ALTER TABLE tasks ADD COLUMN rescue_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN eval_attempts INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX tasks_by_agent ON tasks (agent) WHERE agent IS NOT NULL;
  `,
  /* worktrees may await evaluation: with the gate on, an agent's work is merged only once its score passes, so the
     worktree is kept (state awaiting-eval) meanwhile. SQLite cannot change a CHECK: the table is made again. */ `
  CREATE TABLE worktrees_next (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    agent_id TEXT,
    path TEXT NOT NULL,
    branch TEXT NOT NULL,
    base_branch TEXT NOT NULL,
    base_commit TEXT NOT NULL,
    owner TEXT NOT NULL CHECK (owner IN ('agent', 'person')),
    state TEXT NOT NULL CHECK (state IN ('active', 'awaiting-eval', 'conflict', 'merged', 'retired', 'removed')),
    merge_commit TEXT,
    conflict_files TEXT NOT NULL DEFAULT '[]',
    setup_files TEXT NOT NULL DEFAULT '[]',
    recover_branch TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL
  );
  -- rowid order is "newest worktree of a task": kept as it was.
  INSERT INTO worktrees_next (rowid, id, task_id, agent_id, path, branch, base_branch, base_commit, owner, state, merge_commit,
    conflict_files, setup_files, recover_branch, created_at, updated_at, rev)
    SELECT rowid, id, task_id, agent_id, path, branch, base_branch, base_commit, owner, state, merge_commit,
    conflict_files, setup_files, recover_branch, created_at, updated_at, rev FROM worktrees;
  DROP TABLE worktrees;
  ALTER TABLE worktrees_next RENAME TO worktrees;
  CREATE INDEX worktrees_by_task ON worktrees (task_id);
  CREATE INDEX worktrees_by_agent ON worktrees (agent_id);
  `,
  /* A passing evaluation of work in a worktree, written before that work is merged and cleared in the transaction that
     records the merge: a crash in between leaves the decision, so the restart finishes it instead of evaluating again
     (agency/evaluation/settle-evaluation.ts). JSON of the score and who gave it. */ `
  ALTER TABLE worktrees ADD COLUMN decided_pass TEXT;
  `,
  /* Messages to and from tasks and their agents (upstream's `wg msg`): ids count per task, as upstream's do; each
     reader (an agent id, or `user`) has a cursor per task, the last id it read (core/messages/message-records.ts). */ `
  CREATE TABLE messages (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    timestamp TEXT NOT NULL,
    sender TEXT NOT NULL,
    body TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
    status TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'acknowledged')),
    read_at TEXT,
    agent_id TEXT,
    PRIMARY KEY (task_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE message_cursors (
    reader TEXT NOT NULL,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    cursor INTEGER NOT NULL,
    PRIMARY KEY (reader, task_id)
  ) WITHOUT ROWID;
  `,
  /* Upstream's ready_after (kept in extra) holds a task back like not_before: the soonest time of either is found by
     the index (query/readiness.ts dueAt, hasDue: keep this equal to them). */ `
  DROP INDEX tasks_due;
  CREATE INDEX tasks_due ON tasks (max(coalesce(not_before, ''), coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(extra, '$.ready_after')), '')))
    WHERE status IN ('open', 'incomplete') AND paused = 0 AND blockers = 0
      AND (not_before IS NOT NULL OR strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(extra, '$.ready_after')) IS NOT NULL);
  `,
  /* People's tokens beside agent daemons', in one namespace (`wg token revoke NAME` finds either): a person reaches the
     API with one, acting as its name; an admin may also manage tokens and the coordinator's settings (token-store.ts). */ `
  ALTER TABLE agent_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'person', 'admin'));
  `,
  /* The project's own row and its revision, which every write moves on. On PostgreSQL every write transaction locks
     this row first, so writers to one project take turns as SQLite's write lock makes them (postgres/). */ `
  CREATE TABLE project (id INTEGER PRIMARY KEY CHECK (id = 1), rev INTEGER NOT NULL);
  INSERT INTO project (id, rev) SELECT 1, value FROM meta WHERE key = 'rev';
  DELETE FROM meta WHERE key = 'rev';
  `,
  /* The coordinators of a team's graph, one row each, keyed by the id of the folder it runs in (kept across its
     restarts): the holder of the project's lease, which alone claims and settles, and the standbys waiting for it.
     Times are the database server's, in ms (src/core/leases/). SQLite projects have one coordinator per folder
     and never use it. */ `
  CREATE TABLE coordinators (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('holder', 'standby', 'lost')),
    epoch INTEGER NOT NULL DEFAULT 0,
    host TEXT NOT NULL,
    folder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    url TEXT,
    started_at INTEGER NOT NULL,
    since INTEGER,
    renewed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX coordinators_by_role ON coordinators (role);
  `,
  /* The team's settings on a team's graph (models, executors, routing, agency, run rules: config/team-keys.ts), one row
     each, read by every machine in place of its config.toml's: a whole section under its name, a single setting under
     group.field; values as JSON. rev is the revision that last wrote it, so a coordinator sees a change by the newest.
     SQLite projects keep them in config.toml and never use it. */ `
  CREATE TABLE team_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, rev INTEGER NOT NULL) WITHOUT ROWID;
  `,
  /* The coordinator that started a run (coordinators.id), on a team's graph where several coordinators share one
     project: only it judges the run, and its output is fetched from it. NULL on SQLite and for older runs. */ `
  ALTER TABLE agents ADD COLUMN coordinator_id TEXT;
  `,
  /* A coordinator's key for the one thing another coordinator of the project may ask of it: a page of the output of a
     run it started (src/core/peers/). Random at each start, shown to whoever can read the project's store, and opening
     nothing else. NULL on SQLite. */ `
  ALTER TABLE coordinators ADD COLUMN output_key TEXT;
  `,
  /* The coordinator's own work on a task that is no agent run's (the evaluator's, the assigner's, a system task's):
     claimed here in the project's write turn before it starts and released once its result is written, so that of
     a team's several coordinators one alone does it (agency/internal-claims.ts). coordinator_id is NULL on SQLite. */ `
  CREATE TABLE internal_claims (
    task_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    coordinator_id TEXT,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (task_id, purpose)
  ) WITHOUT ROWID;
  `,
  /* How many runs a coordinator would hold now (its max_agents, 0 while paused), written with each renewal of its
     lease: the team's cap is shared out by these (deciding/team-share.ts). NULL on SQLite and for older coordinators. */ `
  ALTER TABLE coordinators ADD COLUMN capacity INTEGER;
  `,
  /* A failed X no longer holds back its own .evaluate-X (failed work is evaluated too, as upstream's coordinator
     does): the kept blocker counts recounted by the rule as it is from here on (query/readiness.ts blockersOfRow). */ `
  UPDATE tasks SET blockers = (
    SELECT count(*) FROM deps d JOIN tasks u ON u.id = d.dep_id
    WHERE d.task_id = tasks.id AND (
      (u.status NOT IN ('done', 'abandoned') AND NOT (substr(tasks.id, 1, 1) = '.' AND u.status IN ('pending-eval', 'failed-pending-eval'))
        AND NOT (u.status = 'failed' AND tasks.id = '.evaluate-' || u.id))
      OR (substr(tasks.id, 1, 1) <> '.' AND substr(u.id, 1, 1) <> '.' AND EXISTS (
        SELECT 1 FROM tasks e WHERE e.id = '.evaluate-' || u.id AND e.status NOT IN ('done', 'failed', 'abandoned'))))
  ) + (SELECT count(*) FROM loose_deps m WHERE m.task_id = tasks.id AND m.kind = 'missing')
  WHERE id LIKE '.evaluate-%';
  `,
  /* What an upstream evaluation file holds that the columns above did not, so that `wg agency export` writes it back
     as it came: its id and its file's name where they are not the ones this app gives (`eval-<task>-<time>`; NULL
     then), and the loop iteration of its task (upstream's loop_iteration, 0 outside a loop). */ `
  ALTER TABLE evaluations ADD COLUMN upstream_id TEXT;
  ALTER TABLE evaluations ADD COLUMN upstream_file TEXT;
  ALTER TABLE evaluations ADD COLUMN loop_iteration INTEGER NOT NULL DEFAULT 0;
  `,
  /* What each file of an agency folder held when `wg agency import` read it or `wg agency export` wrote it (a
     fingerprint, by the file's path): an export overwrites only a file still as it was (agency/yaml/synced-files.ts). */ `
  CREATE TABLE agency_files (path TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
  `,
  /* 1 while the worktree's task was marked done where nothing merges (upstream's `wg done`, a hand edit of graph.jsonl)
     as its agent worked in it: the work is merged once the run ends (worktrees/done-elsewhere.ts), and until then the
     task's dependents wait (query/readiness.ts workToMerge). No worktree has it yet, so no count changes here. */ `
  ALTER TABLE worktrees ADD COLUMN merge_at_end INTEGER NOT NULL DEFAULT 0;
  `,
  /* The agent daemons connected to a coordinator of a team now (a JSON array: what `wg agentd status` shows of each,
     and what its token allows), written as they come and go and with each renewal of its lease: every coordinator
     of the team shows them all, and one leaves a task that another's daemons can run to that one
     (agent-daemons/team-daemons.ts). NULL on SQLite. */ `
  ALTER TABLE coordinators ADD COLUMN agent_daemons TEXT;
  `,
  /* One word per thing (docs/ARCHITECTURE.md, Glossary): an agent daemon's jobs are `daemon_jobs` (they were
     `remote_jobs`), and a run this app does not run as a local process is marked `runs_elsewhere` (was `remote`,
     the word the `remote` executor and a remote host keep). */ `
  ALTER TABLE remote_jobs RENAME TO daemon_jobs;
  DROP INDEX remote_jobs_active;
  DROP INDEX remote_jobs_ended;
  CREATE INDEX daemon_jobs_active ON daemon_jobs (state) WHERE state IN ('assigned','running');
  CREATE INDEX daemon_jobs_ended ON daemon_jobs (ended_at) WHERE ended_at IS NOT NULL;
  ALTER TABLE agents RENAME COLUMN remote TO runs_elsewhere;
  `,
];

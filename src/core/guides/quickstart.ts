/*
 * `wg quickstart`: the cheat sheet of this app's commands and workflow, for people and agents. One
 * source for both faces: the text (sections under upstream's headings where this app has the same
 * thing) and `--json` (a key per section, the modes and everyday commands grouped as upstream groups
 * them). Only commands that exist here are listed.
 */

type Row = readonly [command: string, what: string];

interface Section {
  key: string;
  title: string;
  intro?: readonly string[];
  rows?: readonly Row[];
  notes?: readonly string[];
}

const SECTIONS: readonly Section[] = [
  {
    key: 'getting_started',
    title: 'GETTING STARTED',
    rows: [
      ['wg init', 'Create .workgraph/ here (a folder upstream uses, .wg/, opens as it is)'],
      ['wg agency init', 'Starter roles, tradeoffs and agent identities'],
      ['wg service start', 'Start the coordinator: it starts an agent on each ready task'],
      ['wg add "My first task"', 'Add work; the coordinator picks it up'],
      ['wg status', 'One screen: service, agents, task counts, recent completions'],
    ],
    notes: ['The desktop app does all of this too: open the folder, and the coordinator runs inside the window.'],
  },
  {
    key: 'agency',
    title: 'AGENCY SETUP',
    intro: ['Who an agent is told it is: an identity is a role (its skills and desired outcome) and a tradeoff.'],
    rows: [
      ['wg agency init', 'Roles, Tradeoffs and agent identities to start with'],
      ['wg role add "Name" --outcome "What it produces" --skill S', 'A role'],
      ['wg tradeoff add "Name" -d TEXT --accept "Slow" --reject "Untested"', 'A tradeoff'],
      ['wg agent create "Name" --role R --tradeoff T', 'An identity (a role and a tradeoff)'],
      ['wg assign TASK --auto', 'Give a task the identity that fits it best'],
      ['wg next --actor AGENT', 'The best ready task for an identity, by its capabilities'],
    ],
  },
  {
    key: 'executors_and_models',
    title: 'EXECUTORS & MODELS',
    intro: [
      'A model is a registered name (wg model list) or provider:model, e.g. claude:opus or openrouter:google/gemini-2.5-flash.',
      "A run takes the first model named: the task's --model, its identity's, its executor's, the task_agent route, the project's.",
    ],
    rows: [
      ['wg config -m claude:opus', "The project's model (coordinator.model)"],
      ['wg add "X" --model openrouter:google/gemini-2.5-flash', 'One task on another model'],
      ['wg model list', 'Registered models, and which model each role is routed to'],
      ['wg model set evaluator haiku', 'Route a role to a model'],
      ['wg executor list', 'Executor profiles: how a run is started (claude, codex, shell, http…)'],
    ],
  },
  {
    key: 'dispatcher_reminder',
    title: 'DISPATCHER SERVICE REMINDER',
    intro: [
      'Check whether the coordinator (upstream calls it the dispatcher) runs: wg service status.',
      'If it runs, your job is to DEFINE work, not to start it: add tasks and dependencies, and it starts agents.',
      'Never wg spawn or wg claim a task it could start: you would race it for the task.',
    ],
  },
  {
    key: 'service_mode',
    title: 'SERVICE MODE (recommended)',
    rows: [
      ['wg service start --max-agents 4', 'Start the coordinator with a parallelism limit'],
      ['wg service status', 'Running? Agents, settings, last turn'],
      ['wg service pause / resume', 'Start no new agents / start them again (running ones go on)'],
      ['wg service install', 'Run it as a user service (systemd, launchd)'],
      ['wg agents', 'Who works on what'],
      ['wg output agent-7', 'What an agent has printed so far'],
      ['wg kill agent-7', 'Stop a run and everything it started; its task is paused (--redispatch requeues it)'],
    ],
  },
  {
    key: 'manual_mode',
    title: 'MANUAL MODE (no coordinator)',
    rows: [
      ['wg ready', 'Tasks that can start now'],
      ['wg claim TASK --agent me', 'Take one (in progress)'],
      ['wg exec TASK', 'Work on it in Claude Code with the prompt and environment an agent gets'],
      ['wg exec TASK --shell', 'Run its shell command: done on exit 0, failed otherwise'],
      ['wg log TASK "message"', 'Log progress as you go'],
      ['wg done TASK', 'Finish it'],
    ],
  },
  {
    key: 'discovery',
    title: 'DISCOVERING & ADDING WORK',
    rows: [
      ['wg list [--status open] [--tag T]', 'Tasks (system tasks with --all)'],
      ['wg show TASK', 'One task: its description, log, what it waits on and what waits on it'],
      ['wg add "Title" -d "Desc" --after A,B', 'A task after others (id: a slug of the title, or --id)'],
      ['wg add "X" --model sonnet --executor codex', 'Choose who runs it'],
      ['wg add "X" --exec "npm test"', 'A shell task: its command is the whole job'],
      ['wg add "X" --schedule "09:00" (or --cron "0 9 * * *")', 'A task that repeats'],
      ['wg add "X" --paused ... then wg publish X', 'Write a whole plan first; publish starts it'],
      ['wg add "X" --timeout 1h', 'How long its agent may run, before the project setting'],
      ['wg edit TASK --add-after A --title T', 'Change a task'],
    ],
  },
  {
    key: 'visualization',
    title: 'VISUALIZATION',
    rows: [
      ['wg viz [TASK…]', 'The graph as a tree (with TASKs: only their connected parts)'],
      ['wg viz --all --show-internal', 'Fully done parts too, and system tasks (.assign-…, .evaluate-…)'],
      ['wg viz --dot / wg viz --mermaid', 'For Graphviz or a Markdown page (--critical-path marks it)'],
    ],
    notes: ['The desktop window draws the graph and its runs live.'],
  },
  {
    key: 'task_state',
    title: 'TASK STATE COMMANDS',
    rows: [
      ['wg done TASK', 'Complete (in its worktree: its commits are merged onto the base branch)'],
      ['wg fail TASK --reason "..."', 'Failed (the attempt counts; wg retry tries again)'],
      ['wg retry TASK [--fresh]', 'Open again (--fresh: from the base branch, not its kept worktree)'],
      ['wg abandon TASK', 'Give up (satisfies what waits on it)'],
      ['wg pause TASK / wg resume TASK', 'Hold it back / let it start again'],
      ['wg unclaim TASK', 'Release a claim (back to open)'],
      ['wg incomplete TASK --reason "..."', 'Needs another pass (retried, within its retry budget)'],
      ['wg requeue TASK --reason "..."', 'Back to open for triage (after adding fix tasks)'],
      ['wg approve TASK / wg reject TASK --reason R', 'Settle a task awaiting validation'],
      ['wg add-dep TASK DEP / wg rm-dep TASK DEP', 'Wire a dependency / remove it'],
    ],
  },
  {
    key: 'wait_conditions',
    title: 'WAITING',
    rows: [
      ['wg wait TASK --until "task:dep-a=done"', 'Park until another task reaches a status'],
      ['wg wait TASK --until "timer:5m"', 'Park for a while (30s, 5m, 2h, 1d)'],
      ['wg wait TASK --until "message"', 'Park until a message arrives (human-input: from a person)'],
      ['wg wait TASK --until "file:PATH" --checkpoint "where I am"', 'Park until a file changes, with a checkpoint'],
    ],
    notes: ['Join conditions with , (all) or | (any). The coordinator starts the task again once it holds.'],
  },
  {
    key: 'validation',
    title: 'VALIDATION (## Validation section in task description)',
    intro: [
      'Put what must hold in a ## Validation section of the description: the agent checks it before wg done,',
      'and the evaluator scores the work against it (wg config --auto-evaluate true).',
    ],
    rows: [
      ['wg add "Task" -d "## Validation\\n- [ ] npm test passes"', 'Acceptance criteria as a checklist'],
      ['wg evaluate run TASK', 'Have the evaluator score it now'],
    ],
  },
  {
    key: 'messaging',
    title: 'MESSAGING',
    rows: [
      ['wg msg send TASK "message"', 'To the agent working on TASK (it gets it after its next tool call; codex at its next model request)'],
      ['wg msg list TASK', 'All messages of a task, with how far each got'],
      ['wg msg read TASK', 'Unread messages (marks them read)'],
      ['wg msg poll TASK', 'New messages without marking them (exit 1 when none)'],
    ],
    notes: ['Agents reply with wg msg send TASK "..." and read once more before they finish; unanswered messages mean unfinished work.'],
  },
  {
    key: 'context_artifacts',
    title: 'CONTEXT & ARTIFACTS',
    rows: [
      ['wg context TASK', 'What the tasks before it handed over (artifacts, results)'],
      ['wg artifact TASK path', 'Record a file it produced'],
      ['wg log TASK --list', 'Its log'],
      ['wg checkpoint TASK -s "Progress summary"', 'Save where you are (a retried task is told the latest one)'],
      ['wg checkpoint TASK --list --agent A', "An agent's checkpoints"],
    ],
  },
  {
    key: 'worktrees',
    title: 'WORKTREES',
    intro: [
      'In a git repository each agent works in its own worktree, .wg-worktrees/<agent>/, on a branch wg/<agent>/<task>.',
      'wg done squash-merges its commits onto the base branch; uncommitted tracked changes or a conflict refuse the done.',
    ],
    rows: [
      ['wg worktree list', "Agents' worktrees and their state"],
      ['wg worktree show ID', 'One, with its diff against the base'],
      ['wg worktree gc [--apply]', 'What can go (done and merged), then take it away'],
      ['wg exec TASK --worktree', 'Work on a task yourself in a worktree, as an agent would'],
    ],
  },
  {
    key: 'how_a_run_ends',
    title: 'HOW A RUN ENDS',
    intro: [
      'An agent ends its run with exactly one of wg done TASK or wg fail TASK --reason "...".',
      'Exiting 0 without wg done counts as done only with evidence of its own work (its log, artifacts, changed files);',
      'otherwise the task fails, and the attempt counts. Only the run that holds a task can finish it.',
    ],
  },
  {
    key: 'graph_surgery',
    title: 'GRAPH SURGERY',
    rows: [
      ['wg insert before TASK --title "Check inputs"', 'A new prerequisite (after: a successor; parallel: beside it)'],
      ['wg insert after TASK --title T --splice', "Route the task's successors through the new one"],
      ['wg rescue TASK -d "what to do differently"', 'A replacement for a failed task at its place'],
      ['wg reset TASK --dry-run, then --yes', 'Reopen a task and everything after it'],
    ],
  },
  {
    key: 'functions',
    title: 'REUSABLE FUNCTIONS',
    rows: [
      ['wg func list', 'Functions (saved plans) of this project'],
      ['wg func show ID', 'One, with its inputs and task templates'],
      ['wg func apply ID --input feature_name=auth', 'Make its tasks (prefix auth-…)'],
      ['wg func extract TASK --subgraph', 'Save a finished task and what came after it as a function'],
    ],
  },
  {
    key: 'evaluation_and_monitoring',
    title: 'EVALUATION & MONITORING',
    rows: [
      ['wg evaluate run TASK', 'Score a task with the evaluator'],
      ['wg evaluate show TASK', 'Its evaluation'],
      ['wg watch', 'Graph and run events as JSON lines'],
      ['wg watch --task ID --event task_state', 'Only some of them'],
      ['wg agency stats', 'Scores by identity, role and tradeoff'],
    ],
  },
  {
    key: 'configuration',
    title: 'CONFIGURATION',
    rows: [
      ['wg config --list', 'Every setting with where its value comes from'],
      ['wg config --max-agents 4 --auto-evaluate true', "Change the project's settings (its config.toml)"],
      ['wg config --global -m sonnet', 'Your defaults for every project'],
      ['wg service reload', 'Have a running coordinator read them again'],
    ],
  },
  {
    key: 'trace_and_runs',
    title: 'TRACE & RUNS',
    rows: [
      ['wg trace show TASK [--full]', 'Its runs (prompt, output, turns, cost), log, messages and evaluations'],
      ['wg trace show TASK --recursive --timeline', 'The task and everything after it, over time'],
      ['wg trace export --root TASK --visibility public -o trace.json', 'Share a trace'],
      ['wg trace import trace.json --source peer:alice', "Keep another's trace as read-only context"],
      ['wg runs list / wg runs diff ID', 'Graph snapshots, and how the graph differs from one'],
      ['wg runs restore ID', 'The graph as a snapshot had it (the graph now is saved first)'],
    ],
  },
  {
    key: 'analysis',
    title: 'ANALYSIS',
    rows: [
      ['wg analyze', 'A health report: structure, bottlenecks, workload, aging, and what to do first'],
      ['wg critical-path', 'The longest chain of active tasks (by estimated hours)'],
      ['wg bottlenecks', 'The tasks most work waits on'],
      ['wg forecast', 'When the open work is done at the recent pace, and what could delay it'],
      ['wg velocity [--weeks N] / wg aging', 'Tasks done per week; how long open work has waited'],
      ['wg workload / wg structure', "Each agent's assigned work; entry points, dead ends, high-impact roots"],
      ['wg why-blocked TASK', 'The whole chain holding a task back'],
      ['wg cost TASK', 'Estimated cost with its dependencies'],
      ['wg check', 'Cycles, orphan references, stale assignments'],
    ],
  },
  {
    key: 'recovery',
    title: 'RECOVERY',
    rows: [
      ['wg retry TASK --reason "stalled"', 'Hung worker agent? Its run ends and the task opens again'],
      ['wg dead-agents --cleanup', 'Requeue the tasks of runs that died'],
      ['wg kill --all', 'Stop every run'],
      ['wg reclaim TASK --from A --to B', "Hand a dead agent's task to another"],
    ],
  },
  {
    key: 'dead_agents',
    title: 'DEAD AGENT DETECTION',
    rows: [
      ['wg dead-agents', 'Runs whose heartbeat stopped'],
      ['wg dead-agents --processes', "Check each working run's process: running or gone"],
      ['wg dead-agents --cleanup', 'Requeue the tasks of runs that died'],
      ['wg dead-agents --purge --delete-dirs', 'Forget the dead runs, and their folders'],
    ],
  },
  {
    key: 'housekeeping',
    title: 'HOUSEKEEPING',
    rows: [
      ['wg archive --dry-run, then wg archive --yes', 'Move finished tasks to archive.jsonl (wg archive --undo: the last batch back)'],
      ['wg archive search TEXT / wg archive restore ID', 'Find an archived task / bring it back'],
      ['wg gc --dry-run [--include-done --older 30d]', 'What gc would remove: failed and abandoned tasks'],
      ['wg gc', 'Remove them'],
    ],
  },
  {
    key: 'cost_spending',
    title: 'COST & SPENDING',
    rows: [
      ['wg spend [--today]', 'Tokens and cost: totals, by day, task, model and identity'],
      ['wg trace show TASK', "One task's runs, each with its cost"],
    ],
  },
  {
    key: 'growing_the_graph',
    title: 'GROWING THE GRAPH',
    intro: [
      'Found a bug, a missing piece or a follow-up while working? Add it as a task after yours rather than doing it',
      'inline: wg add "Fix: ..." --after YOUR-TASK -d "what and why". The coordinator starts it when it is ready.',
    ],
  },
  {
    key: 'tips',
    title: 'TIPS',
    notes: [
      'If the coordinator runs: add tasks, it starts them.',
      'If it does not: ready → claim → work → done.',
      'Log before and while you work: the graph is the record.',
      'wg context TASK shows what the tasks before produced.',
      "wg blocked TASK (or why-blocked) says why a task isn't ready.",
      'Every command takes --json.',
    ],
  },
];

function sectionText(s: Section): string {
  const lines = [s.title, '─'.repeat(41)];
  for (const line of s.intro ?? []) lines.push(`  ${line}`);
  const width = Math.max(0, ...(s.rows ?? []).map(([command]) => command.length));
  if (s.intro?.length && s.rows?.length) lines.push('');
  for (const [command, what] of s.rows ?? []) lines.push(`  ${command.padEnd(Math.min(width, 44))}  # ${what}`);
  if (s.notes?.length && (s.rows?.length || s.intro?.length)) lines.push('');
  for (const note of s.notes ?? []) lines.push(`  ${s.key === 'tips' ? '• ' : ''}${note}`);
  return lines.join('\n');
}

/** The cheat sheet for people. */
export function quickstartText(): string {
  return ['WG QUICKSTART (Workgraph Desktop)', '', ...SECTIONS.map(sectionText).flatMap((text) => [text, ''])].join('\n').trimEnd();
}

const asJson = (s: Section) => ({
  title: s.title,
  ...(s.intro ? { description: s.intro.join(' ') } : {}),
  ...(s.rows ? { commands: s.rows.map(([command, what]) => ({ command, what })) } : {}),
  ...(s.notes ? { notes: [...s.notes] } : {}),
});

const COMMAND_GROUPS: Readonly<Record<string, string>> = { discovery: 'discovery', task_state: 'completion', context_artifacts: 'work' };

/** `wg quickstart --json`: a key per section; the two modes under `modes`, the everyday commands under `commands`. */
export function quickstartSections(): Record<string, unknown> {
  const out: Record<string, unknown> = { modes: {}, commands: {} };
  for (const s of SECTIONS) {
    if (s.key === 'service_mode' || s.key === 'manual_mode') (out.modes as Record<string, unknown>)[s.key.replace('_mode', '')] = asJson(s);
    else if (COMMAND_GROUPS[s.key]) (out.commands as Record<string, unknown>)[COMMAND_GROUPS[s.key] as string] = asJson(s);
    else if (s.key === 'tips') out.tips = [...(s.notes ?? [])];
    else out[s.key] = asJson(s);
  }
  return out;
}

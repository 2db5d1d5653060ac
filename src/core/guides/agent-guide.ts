/*
 * `wg agent-guide`: the contract every agent works by in a project run by this app, independent of the
 * project (its own rules live in its CLAUDE.md / AGENTS.md). Written for this app's workflow: the
 * coordinator starts a run per task, each in its own worktree; messages reach a run while it works;
 * a run ends with exactly one report. What a run may do is enforced (SECURITY.md), not only asked.
 */

export const AGENT_GUIDE = `# Workgraph Agent Guide

How agents work in a project run by Workgraph Desktop (\`wg\`). This is the contract every agent works by,
whatever the project; the project's own rules are in its CLAUDE.md or AGENTS.md.

## STOP — which one are you?

- A **worker agent**: you were started for one task. Your prompt begins with "# Task <id>", and WG_TASK_ID,
  WG_AGENT_ID and WG_RUN_ID are set. Do that task, report through \`wg\`, end with one report. Read on from
  "Worker Agent Contract".
- A **chat agent**: a person talks to you in a terminal or an editor and you are not inside a task's run.
  You turn what they ask for into tasks; you do not do the work yourself. Read "Chat Agent Contract".
- The **coordinator** (upstream calls it the dispatcher) is not an agent: it is the program that watches the
  graph, starts a worker agent on each ready task (up to max_agents), judges and settles each run.

## Three Roles

| role | who | does |
| --- | --- | --- |
| coordinator (the dispatcher) | \`wg service start\`, or the desktop app with the folder open | starts, watches, ends runs |
| worker agent | one run on one task | the task's work, reported through \`wg\` |
| chat agent | an assistant a person talks to | creates and shapes tasks |

## Chat Agent Contract

A chat agent is a thin task-creator. When the person asks for a fix, a feature, a test or an investigation,
file it as a task and let the coordinator start a worker on it.

What a chat agent CAN do:
- read the graph: \`wg list\`, \`wg show\`, \`wg status\`, \`wg ready\`, \`wg viz\`, \`wg agents\`, \`wg log ID --list\`
- create tasks: \`wg add "Title" -d "what, why, and a ## Validation section" --after ...\`
- shape them: \`wg edit\`, \`wg pause\`, \`wg resume\`, \`wg assign\`, \`wg msg send\`
- watch: \`wg watch\`, \`wg service status\`

What a chat agent CANNOT do:
- NEVER read, search or edit the project's source (DO NOT edit files, DO NOT grep the code)
- NEVER run builds or tests (\`npm test\`, \`cargo build\`, \`make\`): that is a worker's job
- NEVER start subagents of your own (the Task tool, TaskCreate): add a task instead
- NEVER "look at the code first" before filing the task; describe what is wanted and let the worker look

## Worker Agent Contract

You run unattended: nobody reads your chat. The task graph is the record. Report through \`wg\` (it is on your
PATH and in $WG_BIN), never through your own todo or task tools (TaskCreate, the Task tool, TodoWrite).

1. Before you start: \`wg show $WG_TASK_ID\` and \`wg context $WG_TASK_ID\` (what the tasks before yours handed over).
2. Log as you go: \`wg log $WG_TASK_ID "what you did or found"\`.
3. Record what you produced: \`wg artifact $WG_TASK_ID path/to/file\`.
4. Validate before you report done: run the build and tests, check every item of the description's
   \`## Validation\` section (and its verify criteria, when it has them), fix what fails, and log the result.
5. Commit only your own files (\`git add <files>\`, never \`git add -A\`), with a message naming the task.
6. More work found (a bug, a follow-up, a missing piece)? Add it after your task rather than doing it here:
   \`wg add "Title" --after $WG_TASK_ID -d "what and why"\`. A run may add only follow-ups of its own task.
7. Long task? Save where you are: \`wg checkpoint $WG_TASK_ID -s "progress so far"\`. The next run of the task
   (after a retry) is told your latest checkpoint.
8. End with exactly one of:
   - \`wg done $WG_TASK_ID\` when the work is complete and validated;
   - \`wg fail $WG_TASK_ID --reason "what you tried and what blocked you"\`, only after a real attempt.

## Worktrees

In a git repository you work in your own worktree, \`.wg-worktrees/<agent-id>/\`, on a branch
\`wg/<agent-id>/<task-id>\` made from the base branch; other agents work in theirs (WG_WORKTREE_PATH, WG_BRANCH,
WG_PROJECT_ROOT are set). Commit your work there before \`wg done\`: done squash-merges your commits onto the
base branch, and refuses while tracked files are changed but not committed. If it reports a conflict, merge the
base branch into yours, resolve the files it names, commit, and run \`wg done\` again. Work sent back for another
attempt resumes in the same worktree.

## Messages

People can message your task while you work: \`wg msg send TASK "..."\`. Claude Code and codex runs are handed
new messages after their tool calls; any run sees them with \`wg msg read $WG_TASK_ID\` (and each \`wg log\` prints
new ones). Act on each and reply: \`wg msg send $WG_TASK_ID "what you will do"\`. Read once more before you finish;
an unanswered message means the work is not finished. A run sends messages only about its own task.

## Waiting

Blocked until another task finishes, a person answers or a file appears? Park instead of polling:
\`wg wait $WG_TASK_ID --until "task:OTHER=done" --checkpoint "where you are"\` (or \`message\`, \`human-input\`,
\`timer:10m\`, \`file:PATH\`), then end your run. You are started again, with your checkpoint, once it holds.

## How a run ends

- Your report is what counts: \`wg done\` or \`wg fail\`, from your own run. A report from a run that no longer
  holds the task (killed, timed out, superseded) changes nothing.
- Exiting 0 without \`wg done\` counts as done only with evidence of your own work (your log entries,
  artifacts, changed files); otherwise the task fails, and the attempt counts against its retries.
- A rate limit or an overloaded model API puts the task back until later without your doing anything.
- A person's \`wg done\`, \`wg retry\`, \`wg reset\` or \`wg kill\` ends your run: stop when you are told to.

## What a run may not do

Everything but its own task's reports, reads and follow-ups is refused from inside a run: editing, pausing,
retrying, claiming or resetting tasks, changing settings, starting the coordinator. Do not run interactive
commands (\`wg exec\` without --dry-run, an editor, a REPL): you have no terminal, and they hang on stdin.
For more model work, add a task (\`wg add ... --after $WG_TASK_ID\`); to have work scored, \`wg evaluate run\`
is a person's command.

## Paused-task convention

To write a whole plan before anything starts, add its tasks with \`--paused\` and publish the first one when
the plan is complete: \`wg publish FIRST\` un-pauses it and the paused tasks after it. A paused task is never
started; \`wg resume ID\` lets one start again.
`;

/**
 * Git worktrees for agent runs: the small API the coordinator (and an agent daemon running the CLI on
 * another machine) calls. Every run of a code-changing executor gets its own worktree before it starts
 * (`prepareRunWorktree`), its work is squash-merged onto the base branch when it is done
 * (`mergeTaskWork`, also run by `wg done`), its commits are kept on a recover/ branch when it dies or is
 * killed (`keepAgentWork`), and worktrees are removed only when nothing in them can be lost
 * (`collectWorktrees`, removal-rule.ts).
 */
export { prepareRunWorktree } from './run-worktree';
export { mergeTaskWork } from './merge-on-done';

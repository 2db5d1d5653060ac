/**
 * Upstream's park line of `wg add --subtask`, on the parent under its run's name: what tells a run's
 * subtasks from its other waits, so run-authority.ts counts them against the follow-up budget.
 */
export const SUBTASK_PARKED = 'Agent parked. Waiting for subtask ';

export const subtaskParkedLine = (child: string) => `${SUBTASK_PARKED}'${child}' to complete.`;

import type { TaskCandidate } from '../../shared/agent-loop';
import type { Task } from '../../shared/task';
import { estimateOf, stringListOf } from '../graph/analysis/task-index';

/*
 * Upstream's `wg next` scoring (pure): each ready task weighed for an agent identity by how its
 * capabilities meet the task's skills. 10 a matched skill, -5 a missing one, +20 all matched,
 * +5 a task that asks no skill, +10 its inputs there (its dependencies' artifacts), +5 a verified
 * agent. Highest first; below 0 is not offered; one recommended and up to four alternatives.
 */

export interface Agent {
  capabilities: readonly string[];
  verified: boolean;
}

/** One task weighed; `depArtifacts`: what its dependencies handed over. */
export function scoreTask(task: Task, agent: Agent, depArtifacts: ReadonlySet<string>): TaskCandidate {
  const skills = stringListOf(task, 'skills');
  const inputs = stringListOf(task, 'inputs');
  const has = new Set(agent.capabilities);
  const matched = skills.filter((s) => has.has(s));
  const missing = skills.filter((s) => !has.has(s));
  const inputsAvailable = inputs.every((i) => depArtifacts.has(i));
  let score = matched.length * 10 - missing.length * 5;
  if (skills.length > 0 && missing.length === 0) score += 20;
  if (skills.length === 0) score += 5;
  if (inputsAvailable) score += 10;
  if (agent.verified) score += 5;
  return {
    id: task.id,
    title: task.title,
    score,
    matched_skills: matched,
    missing_skills: missing,
    hours: estimateOf(task, 'hours'),
    inputs_available: inputsAvailable,
  };
}

/** The viable candidates, best first (ties keep the ready order), split into the recommended one and four more. */
export function rankCandidates(candidates: readonly TaskCandidate[]): { recommended: TaskCandidate | null; alternatives: TaskCandidate[] } {
  const viable = [...candidates].sort((a, b) => b.score - a.score).filter((c) => c.score >= 0);
  return { recommended: viable[0] ?? null, alternatives: viable.slice(1, 5) };
}

import { z } from 'zod';
import { op } from '../define';
import type { SkillSummary, TaskSkills } from '../../skills';
import { taskId } from '../schemas';

/** Operations: upstream's `wg skill`, the skills tasks name (a task's `skills`, upstream's field) and Claude Code's wg skill. */
export const skillOps = {
  'skill:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List all skills used across tasks',
    input: () => z.object({}),
    cli: { command: 'skill list' },
  }).returns<SkillSummary[]>(),
  'skill:task': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show skills for a specific task',
    input: () => z.object({ id: taskId() }),
    cli: { command: 'skill task', args: ['id'] },
  }).returns<TaskSkills>(),
  'skill:find': op({
    kind: 'query',
    scope: 'store',
    summary: 'Find tasks requiring a specific skill',
    input: () => z.object({ skill: z.string({ error: 'name a skill' }).min(1).max(200) }),
    cli: { command: 'skill find', args: ['skill'] },
  }).returns<TaskSkills[]>(),
  'skill:install': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Install the wg Claude Code skill to ~/.claude/skills/wg/ (this app's agent guide, so Claude Code knows wg)",
    input: () => z.object({}),
    cli: { command: 'skill install' },
  }).returns<{ path: string }>(),
};

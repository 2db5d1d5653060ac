import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TaskSkills } from '../../shared/skills';
import type { Task } from '../../shared/task';
import { makeFolder } from '../files/make-folder';
import { replaceFile } from '../files/no-follow';
import { stringListOf } from '../graph/analysis/task-index';
import type { Handlers } from './context';

type SkillOps = 'skill:list' | 'skill:task' | 'skill:find' | 'skill:install';

const skillsOf = (task: Task): TaskSkills => ({ id: task.id, title: task.title, skills: stringListOf(task, 'skills') });

/** Claude Code's skill file: its front matter (when to use it), then this app's agent guide. */
async function skillFile(): Promise<string> {
  const { AGENT_GUIDE } = await import('../guides/agent-guide');
  return [
    '---',
    'name: wg',
    'description: Use this skill for task coordination with wg (Workgraph Desktop). Triggers include "wg", task graphs, multi-step projects, tracking dependencies, coordinating agents, or a .wg or .workgraph directory.',
    '---',
    '',
    AGENT_GUIDE,
  ].join('\n');
}

export const skillHandlers: Handlers<SkillOps> = {
  'skill:list': async (_input, { store }) => {
    const byName = new Map<string, string[]>();
    for (const task of await store.list()) {
      for (const skill of stringListOf(task, 'skills')) byName.set(skill, [...(byName.get(skill) ?? []), task.id]);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([skill, tasks]) => ({ skill, task_count: tasks.length, tasks }));
  },
  'skill:task': async ({ id }, { store }) => skillsOf(await store.get(id)),
  'skill:find': async ({ skill }, { store }) => (await store.list()).filter((t) => stringListOf(t, 'skills').includes(skill)).map(skillsOf),
  'skill:install': async () => {
    // Upstream's place, under HOME: where Claude Code looks for a person's skills.
    const folder = join(process.env.HOME || homedir(), '.claude', 'skills', 'wg');
    makeFolder(folder, 0o755);
    const path = join(folder, 'SKILL.md');
    replaceFile(path, await skillFile(), { mode: 0o644 });
    return { path };
  },
};

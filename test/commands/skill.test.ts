import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SkillSummary, TaskSkills } from '../../src/shared/skills';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg skill` against upstream's cases (graphwork/workgraph src/commands/skills.rs `mod tests`), each named in its
 * `it`. Not ported: test_run_list_no_init (every command here refuses a folder without a project, as test/cli covers
 * once for all of them).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-skill-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const setupGraphWithSkills = () =>
  p.importTasks([
    { id: 't1', title: 'Rust task', skills: ['rust', 'testing'] },
    { id: 't2', title: 'Python task', skills: ['python'] },
    { id: 't3', title: 'No-skill task' },
  ]);

describe('wg skill (upstream skills.rs)', () => {
  it('test_skill_collection: each skill with the tasks that name it, by name', async () => {
    await p.importTasks([{ id: 't1', skills: ['rust', 'testing'] }, { id: 't2', skills: ['rust', 'documentation'] }, { id: 't3' }]);
    const rows = await p.json<SkillSummary[]>(['skill', 'list']);
    expect(rows.map((r) => [r.skill, r.task_count])).toEqual([
      ['documentation', 1],
      ['rust', 2],
      ['testing', 1],
    ]);
    expect(rows.find((r) => r.skill === 'rust')?.tasks.sort()).toEqual(['t1', 't2']);
  });

  it('test_run_list_shows_skills / test_run_list_json', async () => {
    await setupGraphWithSkills();
    const text = await p.ok(['skill', 'list']);
    expect(text).toContain('Skills used across tasks:');
    expect(text).toContain('  rust (1 tasks)');
    expect(text).toContain('  python (1 tasks)');
    expect(await p.json<SkillSummary[]>(['skill', 'list'])).toContainEqual({ skill: 'python', task_count: 1, tasks: ['t2'] });
  });

  it('test_run_list_empty_graph', async () => {
    expect(await p.ok(['skill', 'list'])).toBe('No skills defined in any tasks');
    expect(await p.json(['skill', 'list'])).toEqual([]);
  });

  it('test_run_task_existing / test_run_task_no_skills / test_run_task_nonexistent', async () => {
    await setupGraphWithSkills();
    expect(await p.ok(['skill', 'task', 't1'])).toBe('Task: t1 - Rust task\nSkills: rust, testing');
    expect(await p.json<TaskSkills>(['skill', 'task', 't1'])).toEqual({ id: 't1', title: 'Rust task', skills: ['rust', 'testing'] });
    expect(await p.ok(['skill', 'task', 't3'])).toContain('Skills: (none)');
    const missing = await p.wg(['skill', 'task', 'nonexistent']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toBe("wg: task 'nonexistent' not found");
  });

  it('test_find_tasks_by_skill / test_run_find_matching / test_run_find_no_match / test_run_find_json', async () => {
    await setupGraphWithSkills();
    expect(await p.ok(['skill', 'find', 'rust'])).toBe("Tasks requiring skill 'rust':\n\n  t1 - Rust task");
    expect(await p.ok(['skill', 'find', 'haskell'])).toBe("No tasks require skill 'haskell'");
    expect(await p.json<TaskSkills[]>(['skill', 'find', 'python'])).toEqual([{ id: 't2', title: 'Python task', skills: ['python'] }]);
  });

  it("skill install: Claude Code's wg skill in HOME's .claude/skills/wg/SKILL.md, telling this app's workflow", async () => {
    const home = join(p.root, 'person');
    const out = await p.ok(['skill', 'install'], { HOME: home });
    const path = join(home, '.claude', 'skills', 'wg', 'SKILL.md');
    expect(out).toBe(`Installed wg skill to: ${path}`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^---\nname: wg\ndescription: /);
    expect(text).toContain('# Workgraph Agent Guide');
  });

  it("least authority: an agent's run may not install skills in the person's home", async () => {
    const r = await p.wg(['skill', 'install'], { HOME: join(p.root, 'person'), WG_AGENT_ID: 'agent-1', WG_RUN_ID: 'r'.repeat(32) });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("an agent's run may not install skills");
  });
});

/** `wg skill list --json`: a skill and the tasks that name it (upstream's SkillSummary). */
export interface SkillSummary {
  skill: string;
  task_count: number;
  tasks: string[];
}

/** `wg skill task ID` / `wg skill find SKILL --json`: a task and its skills (upstream's TaskSkills). */
export interface TaskSkills {
  id: string;
  title: string;
  skills: string[];
}

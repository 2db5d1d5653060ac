import type { Formatters } from './formatters';

/** `wg skill`, in upstream's words. */
export const skillFormatters: Formatters = {
  'skill:list': (rows) =>
    rows.length === 0
      ? 'No skills defined in any tasks'
      : ['Skills used across tasks:', '', ...rows.map((r) => `  ${r.skill} (${r.task_count} tasks)`)].join('\n'),
  'skill:task': (t) => [`Task: ${t.id} - ${t.title}`, `Skills: ${t.skills.length === 0 ? '(none)' : t.skills.join(', ')}`].join('\n'),
  'skill:find': (tasks, _term, input) =>
    tasks.length === 0
      ? `No tasks require skill '${String(input.skill)}'`
      : [`Tasks requiring skill '${String(input.skill)}':`, '', ...tasks.map((t) => `  ${t.id} - ${t.title}`)].join('\n'),
  'skill:install': (r) => `Installed wg skill to: ${r.path}`,
};

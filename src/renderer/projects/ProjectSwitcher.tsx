import { useProjects } from './use-projects';

const OPEN_FOLDER = '\u0000open';

/**
 * The open projects, in the sidebar: choosing one shows it (its coordinator was running all along);
 * "Open folder…" adds another. Only in the desktop app.
 */
export function ProjectSwitcher() {
  const { app, overview, act } = useProjects();
  if (!app || !overview) return null;
  const current = overview.projects.find((p) => p.current);
  return (
    <label className="project-switcher">
      <span className="small muted">Project</span>
      <select
        aria-label="Project"
        value={current?.folder ?? ''}
        onChange={(e) => {
          const folder = e.target.value;
          if (folder === OPEN_FOLDER) void act((client) => client['app:openFolder']({}));
          else void act((client) => client['app:switchProject']({ folder }));
        }}
      >
        {!current && <option value="">No project open</option>}
        {overview.projects.map((p) => (
          <option key={p.folder} value={p.folder} title={p.folder}>
            {p.name}
            {p.working.length > 0 ? ` (${p.working.length} working)` : ''}
          </option>
        ))}
        <option value={OPEN_FOLDER}>Open folder…</option>
      </select>
    </label>
  );
}

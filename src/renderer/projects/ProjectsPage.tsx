import { useState } from 'react';
import type { ProjectSummary, TaskBrief } from '../../shared/projects';
import { ErrorAlert } from '../components/ErrorAlert';
import { useProjects } from './use-projects';

/**
 * Every open project side by side: its coordinator, agents at work, failures, and tasks waiting for
 * a person. Each project keeps running whichever one the window shows.
 */
export function ProjectsPage() {
  const { app, overview, error, act } = useProjects();
  const [closing, setClosing] = useState<string | null>(null);
  if (!app)
    return (
      <div className="page">
        <p className="muted">The All projects view is part of the desktop app; here one daemon serves one project.</p>
      </div>
    );
  const projects = overview?.projects ?? [];
  const anyRunning = projects.some((p) => p.service === 'running');
  const anyPaused = projects.some((p) => p.service === 'paused');

  return (
    <div className="page">
      <header className="page-head">
        <h1>All projects</h1>
        <div className="button-row">
          <button type="button" disabled={!anyRunning} onClick={() => void act((c) => c['app:pauseProject']({ paused: true }))}>
            Pause all
          </button>
          <button type="button" disabled={!anyPaused} onClick={() => void act((c) => c['app:pauseProject']({ paused: false }))}>
            Resume all
          </button>
          <button type="button" className="primary" onClick={() => void act((c) => c['app:openFolder']({}))}>
            Open folder…
          </button>
        </div>
      </header>
      <ErrorAlert message={error} />
      {overview === null ? (
        <p className="muted">Loading…</p>
      ) : projects.length === 0 ? (
        <p className="muted">No project is open.</p>
      ) : (
        <div className="project-grid">
          {projects.map((project) => (
            <ProjectCard
              key={project.folder}
              project={project}
              confirmingClose={closing === project.folder}
              onShow={() => void act((c) => c['app:switchProject']({ folder: project.folder }))}
              onPause={(paused) => void act((c) => c['app:pauseProject']({ folder: project.folder, paused }))}
              onAskClose={() => setClosing(project.folder)}
              onClose={(confirmed) => {
                setClosing(null);
                if (confirmed) void act((c) => c['app:closeProject']({ folder: project.folder }));
              }}
            />
          ))}
        </div>
      )}
    </div>
  );
}

interface CardProps {
  project: ProjectSummary;
  confirmingClose: boolean;
  onShow: () => void;
  onPause: (paused: boolean) => void;
  onAskClose: () => void;
  onClose: (confirmed: boolean) => void;
}

function ProjectCard({ project, confirmingClose, onShow, onPause, onAskClose, onClose }: CardProps) {
  return (
    <section className="project-card" aria-label={project.name} data-current={project.current || undefined}>
      <header className="project-card-head">
        <div>
          <h2>
            {project.name}
            {project.current && <span className="badge">shown</span>}
          </h2>
          <div className="small muted mono wrap">{project.folder}</div>
        </div>
        <span className={`service-state service-${project.service}`}>{project.service}</span>
      </header>
      <div className="button-row">
        {!project.current && (
          <button type="button" className="small-button" onClick={onShow}>
            Show
          </button>
        )}
        {project.service === 'paused' ? (
          <button type="button" className="small-button" onClick={() => onPause(false)}>
            Resume
          </button>
        ) : (
          <button type="button" className="small-button" disabled={project.service !== 'running'} onClick={() => onPause(true)}>
            Pause
          </button>
        )}
        <button type="button" className="small-button danger" onClick={onAskClose}>
          Close…
        </button>
      </div>
      {confirmingClose && (
        <div
          className="confirm-box"
          role="alertdialog"
          aria-label={`Close ${project.name}?`}
          onKeyDown={(e) => e.key === 'Escape' && onClose(false)}
        >
          <p>Close {project.name}? Its coordinator stops; working agents are stopped or kept per its quit setting.</p>
          <div className="button-row">
            {/* biome-ignore lint/a11y/noAutofocus: an alert dialog puts the focus on its safe choice when it opens (WAI-ARIA APG) */}
            <button type="button" autoFocus onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => onClose(true)}>
              Close project
            </button>
          </div>
        </div>
      )}
      <Brief
        title="Agents working"
        empty="No agent is working."
        items={project.working.map((a) => ({ id: a.id, title: `${a.id} · ${a.task_title}`, note: a.executor }))}
      />
      <Brief title="Failed" empty="Nothing failed." items={project.failed} />
      <Brief title="Needs you" empty="Nothing needs you." items={project.waiting} />
    </section>
  );
}

function Brief({ title, empty, items }: { title: string; empty: string; items: TaskBrief[] }) {
  return (
    <div className="project-brief">
      <h3>
        {title} <span className="muted">{items.length}</span>
      </h3>
      {items.length === 0 ? (
        <p className="small muted">{empty}</p>
      ) : (
        <ul aria-label={title}>
          {items.map((item) => (
            <li key={item.id}>
              <span>{item.title}</span>
              {item.note && <span className="small muted"> — {item.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

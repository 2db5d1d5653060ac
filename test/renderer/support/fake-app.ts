import type { AppClient, AppOpName } from '../../../src/shared/app-ops';
import type { ProjectsOverview, ProjectSummary } from '../../../src/shared/projects';

/** The desktop app's side of `window.wgApp`, in memory: open projects, the shown one, pause state. */
export class FakeApp {
  readonly calls: Array<{ name: AppOpName; input: unknown }> = [];
  private readonly listeners = new Set<(overview: ProjectsOverview) => void>();
  private readonly showTaskListeners = new Set<(taskId: string) => void>();

  constructor(public projects: ProjectSummary[]) {}

  overview(): ProjectsOverview {
    return { projects: this.projects };
  }

  /** Main telling the window that something changed. */
  push(projects: ProjectSummary[]): void {
    this.projects = projects;
    for (const listener of this.listeners) listener(this.overview());
  }

  /** Main asking the window to show a task (the tray's Needs you, a notice). */
  showTask(taskId: string): void {
    for (const listener of this.showTaskListeners) listener(taskId);
  }

  readonly client: AppClient = {
    'app:projects': async (input) => this.record('app:projects', input),
    'app:openFolder': async (input) => this.record('app:openFolder', input),
    'app:switchProject': async (input) => {
      this.projects = this.projects.map((p) => ({ ...p, current: p.folder === input.folder }));
      return this.record('app:switchProject', input);
    },
    'app:closeProject': async (input) => {
      this.projects = this.projects.filter((p) => p.folder !== input.folder);
      return this.record('app:closeProject', input);
    },
    'app:pauseProject': async (input) => {
      this.projects = this.projects.map((p) =>
        (input.folder === undefined || p.folder === input.folder) && p.service !== 'stopped'
          ? { ...p, service: input.paused ? 'paused' : 'running' }
          : p,
      );
      return this.record('app:pauseProject', input);
    },
    'app:connect': async (input) => {
      const project: ProjectSummary = {
        folder: input.url,
        name: new URL(input.url).host,
        current: true,
        service: 'running',
        working: [],
        failed: [],
        waiting: [],
      };
      this.projects = [...this.projects.map((p) => ({ ...p, current: false })), project];
      return this.record('app:connect', input);
    },
    onProjects: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
    onShowTask: (listener) => {
      this.showTaskListeners.add(listener);
      return () => this.showTaskListeners.delete(listener);
    },
  };

  private record(name: AppOpName, input: unknown): ProjectsOverview {
    this.calls.push({ name, input });
    return this.overview();
  }
}

/** What the set needs of an open project (ProjectSession in the app; a fake in tests). */
export interface OpenProject {
  readonly folder: string;
  close(): Promise<void>;
}

/**
 * The projects the desktop app has open, each with its own coordinator, and which one the window
 * shows. Opening and closing run one after another, never interleaved (each starts or stops a
 * coordinator). Plain TypeScript: the Electron wiring lives in app-controller.ts.
 */
export class ProjectSet<P extends OpenProject> {
  private readonly open = new Map<string, P>();
  /** Most recently shown last: closing the current project shows the one before it. */
  private order: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opener: (folder: string) => Promise<P>) {}

  current(): P | null {
    const folder = this.order.at(-1);
    return folder === undefined ? null : (this.open.get(folder) ?? null);
  }

  /** In the order they were opened. */
  list(): P[] {
    return [...this.open.values()];
  }

  get(folder: string): P | undefined {
    return this.open.get(folder);
  }

  /**
   * Opens `folder` if it is not open yet, and makes it current. `opened`: whether it was opened now.
   * `opener` replaces the set's own (a coordinator on another machine is opened from its connection).
   */
  openOrShow(folder: string, opener: (folder: string) => Promise<P> = this.opener): Promise<{ project: P; opened: boolean }> {
    return this.serially(async () => {
      const existing = this.open.get(folder);
      if (existing) {
        this.makeCurrent(folder);
        return { project: existing, opened: false };
      }
      const project = await opener(folder);
      this.open.set(folder, project);
      this.makeCurrent(folder);
      return { project, opened: true };
    });
  }

  /** Shows an open project; false if it is not open. */
  show(folder: string): boolean {
    if (!this.open.has(folder)) return false;
    this.makeCurrent(folder);
    return true;
  }

  /** Closes one project (its coordinator stops); the one shown before it becomes current. */
  close(folder: string): Promise<void> {
    return this.serially(async () => {
      const project = this.open.get(folder);
      if (!project) return;
      this.open.delete(folder);
      this.order = this.order.filter((f) => f !== folder);
      await project.close();
    });
  }

  /** Closes every project, one after another: the last step before quitting. Errors are reported, not thrown. */
  closeAll(onError: (folder: string, error: unknown) => void): Promise<void> {
    return this.serially(async () => {
      for (const project of [...this.open.values()]) {
        this.open.delete(project.folder);
        try {
          await project.close();
        } catch (error) {
          onError(project.folder, error);
        }
      }
      this.order = [];
    });
  }

  private makeCurrent(folder: string): void {
    this.order = [...this.order.filter((f) => f !== folder), folder];
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

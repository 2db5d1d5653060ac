import { useCallback, useEffect, useState } from 'react';
import type { AppClient } from '../../shared/app-ops';
import type { ProjectsOverview } from '../../shared/projects';
import { useBackend } from '../api/backend-context';
import { errorMessage } from '../api/op-error';

export interface ProjectsState {
  /** Null in browser mode: one daemon serves one project, so there is nothing to switch between. */
  app: AppClient | null;
  overview: ProjectsOverview | null;
  error: string | null;
  /** Runs an app operation and takes the projects it answers with. */
  act(run: (app: AppClient) => Promise<ProjectsOverview>): Promise<void>;
}

/** The desktop app's open projects, kept current by main's `events:projects`. */
export function useProjects(): ProjectsState {
  const app = useBackend().app ?? null;
  const [overview, setOverview] = useState<ProjectsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!app) return;
    let alive = true;
    const unsubscribe = app.onProjects((next) => alive && setOverview(next));
    app['app:projects']({}).then(
      (next) => alive && setOverview(next),
      (failure: unknown) => alive && setError(errorMessage(failure)),
    );
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [app]);

  const act = useCallback(
    async (run: (client: AppClient) => Promise<ProjectsOverview>) => {
      if (!app) return;
      setError(null);
      try {
        setOverview(await run(app));
      } catch (failure) {
        setError(errorMessage(failure));
      }
    },
    [app],
  );

  return { app, overview, error, act };
}

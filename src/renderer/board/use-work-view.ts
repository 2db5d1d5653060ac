import { useCallback, useMemo, useState } from 'react';
import { useBackend } from '../api/backend-context';
import { readSetting, writeSetting } from '../graph/view/view-settings';
import { useProjects } from '../projects/use-projects';

/** How the graph page shows the work: the graph itself, or the board of columns. */
const WORK_VIEWS = ['graph', 'board'] as const;
export type WorkView = (typeof WORK_VIEWS)[number];

const KEY = 'wg.work-view';

/**
 * The view chosen for this project, kept across sessions. The desktop app shows every project from
 * one origin, so the choice is kept under the project's folder; in browser mode each daemon serves
 * one project from its own address, whose storage is its own. Null until the desktop app has said
 * which project is shown (a moment after the window opens), so the page never starts in the wrong view.
 */
export function useWorkView(): { view: WorkView | null; choose: (view: WorkView) => void } {
  const desktop = (useBackend().app ?? null) !== null;
  const { overview, error } = useProjects();
  const folder = overview?.projects.find((project) => project.current)?.folder;
  const key = !desktop ? KEY : folder ? `${KEY}:${folder}` : overview || error ? KEY : null;
  const [chosen, setChosen] = useState<{ key: string; view: WorkView } | null>(null);
  const choose = useCallback(
    (view: WorkView) => {
      if (key === null) return;
      setChosen({ key, view: writeSetting(key, view) });
    },
    [key],
  );
  const kept = useMemo(() => (key === null ? null : readSetting(key, WORK_VIEWS, 'graph')), [key]);
  return { view: key !== null && chosen?.key === key ? chosen.view : kept, choose };
}

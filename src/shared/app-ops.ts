import { z } from 'zod';
import type { ProjectsOverview } from './projects';

/**
 * Operations of the desktop app itself, not of a project: which projects are open, which one the window
 * shows, pausing one or all. Electron only (browser mode serves one project per daemon), so they are not
 * in the project op registry; the IPC bridge validates their input with these schemas, and the preload
 * exposes one function per name (APP_CHANNELS) as `window.wgApp`, with `onProjects` for the event main
 * sends when the open projects, or what they are doing, change (EVENT_CHANNELS.projects).
 */
const folder = z.string().min(1, 'name a project folder');

export const appOps = {
  'app:projects': { input: z.object({}) },
  /** Shows the folder picker; the chosen folder is opened (or switched to) and becomes current. */
  'app:openFolder': { input: z.object({}) },
  'app:switchProject': { input: z.object({ folder }) },
  'app:closeProject': { input: z.object({ folder }) },
  /** `folder` absent: every open project. */
  'app:pauseProject': { input: z.object({ folder: folder.optional(), paused: z.boolean() }) },
  /**
   * Opens a coordinator on another machine (`wg service start --listen …` there) beside the local
   * projects and shows it. The address and token are checked by the core (one sentence when refused);
   * an empty token means the address carries it (`#token=…`).
   */
  'app:connect': { input: z.object({ url: z.string().min(1, "give the coordinator's address"), token: z.string() }) },
} as const;

export type AppOpName = keyof typeof appOps;
type AppOpInput<N extends AppOpName> = z.input<(typeof appOps)[N]['input']>;
/** Every app operation answers with the projects as they now are. */
type AppOpOutput = ProjectsOverview;

/** `window.wgApp` in the Electron window. */
export type AppClient = { [N in AppOpName]: (input: AppOpInput<N>) => Promise<AppOpOutput> } & {
  onProjects(listener: (overview: ProjectsOverview) => void): () => void;
  /** Main asks to show this task (the tray's Needs you, a notice): its id. */
  onShowTask(listener: (taskId: string) => void): () => void;
};

import type { ChangeEvent, OutputEvent } from '../../shared/api-contract';
import { EVENT_CHANNELS } from '../../preload/ipc-contract';
import { EventBatcher } from '../ipc/event-batcher';
import { GraphTracker } from './graph-tracker';
import { log } from '../logging';
import { decideNotifications, type Notice } from '../notifications/notify-decision';
import { openProjectHost, type ProjectHost } from './project-host';
import { needingYou, needsYouSetupFrom, summarizeProject, UNREAD_SETUP } from './project-summary';
import type { NeedsYouSetup } from '../../shared/needs-you';
import { DEFAULT_QUIT_BEHAVIOR, quitBehaviorFrom } from '../quit-behavior';
import type { ProjectSummary } from '../../shared/projects';
import { trayStateFrom, type QuitBehavior, type TrayState } from '../tray/tray-state';

export interface SessionOutputs {
  /** Sends an event to the window (if there is one). */
  send(channel: string, payload: unknown): void;
  trayChanged(state: TrayState): void;
  notify(notices: Notice[]): void;
}

/** Events reach the window at most this often (ms): smooth for the eye, cheap under bursts. */
const EVENT_BATCH_MS = 50;
/** How soon after a change main re-reads the graph for the tray and notifications (ms). */
const REFRESH_DELAY_MS = 250;
/** Agents can start or stop without the store changing much; and config.toml can be edited by hand. */
const POLL_MS = 10_000;

/** One open project: its host (store + coordinator), wired to the window, the tray and notifications. */
export class ProjectSession {
  readonly name: string;
  private readonly tracker: GraphTracker;
  private readonly changes: EventBatcher<ChangeEvent>;
  private readonly outputs: EventBatcher<OutputEvent>;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly poll: ReturnType<typeof setInterval>;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing = false;
  private refreshAgain = false;
  private quitBehavior: QuitBehavior = DEFAULT_QUIT_BEHAVIOR;
  /** Who does which executor's work and whether evaluations run: what needs a person (needs-you.ts). */
  private needsYou: NeedsYouSetup = UNREAD_SETUP;
  private closed = false;

  static async open(folder: string, outputs: SessionOutputs): Promise<ProjectSession> {
    const host = await openProjectHost(folder, { createIfMissing: true });
    return new ProjectSession(host, outputs);
  }

  /** A coordinator on another machine (already connected), worked with exactly as a local project. */
  static ofHost(host: ProjectHost, outputs: SessionOutputs): ProjectSession {
    return new ProjectSession(host, outputs);
  }

  private constructor(
    readonly host: ProjectHost,
    private readonly out: SessionOutputs,
  ) {
    this.name = host.name;
    this.tracker = new GraphTracker(host);
    this.changes = new EventBatcher(
      EVENT_BATCH_MS,
      () => 'rev',
      (event) => out.send(EVENT_CHANNELS.change, event),
    );
    this.outputs = new EventBatcher(
      EVENT_BATCH_MS,
      (event) => event.agent_id,
      (event) => out.send(EVENT_CHANNELS.output, event),
    );
    this.unsubscribe.push(
      host.onChange((rev: number) => {
        this.changes.push({ rev });
        this.scheduleRefresh();
      }),
      host.onOutput((event: OutputEvent) =>
        this.outputs.push({ agent_id: event.agent_id, total: event.total, ...(event.away ? { away: event.away } : {}) }),
      ),
    );
    this.poll = setInterval(() => {
      void this.readQuitBehavior();
      this.scheduleRefresh();
    }, POLL_MS);
    void this.readQuitBehavior();
    this.scheduleRefresh();
  }

  /** The folder, or the remote coordinator's address. */
  get folder(): string {
    return this.host.where;
  }

  async trayState(): Promise<TrayState> {
    return trayStateFrom({
      project: this.name,
      folder: this.folder,
      status: await this.host.status(),
      failedTasks: this.tracker.failedCount(),
      waiting: (await this.summary(false)).waiting,
      quitBehavior: this.quitBehavior,
    });
  }

  /** What the All projects view shows of this project. */
  async summary(current: boolean): Promise<ProjectSummary> {
    const status = await this.host.status();
    return summarizeProject({
      folder: this.folder,
      name: this.name,
      current,
      service: !status.running ? 'stopped' : status.paused ? 'paused' : 'running',
      tasks: this.tracker.taskList(),
      agents: this.tracker.agentList(),
      setup: this.needsYou,
      now: Date.now(),
    });
  }

  async pause(): Promise<void> {
    await this.host.pause();
    this.out.trayChanged(await this.trayState());
  }

  async resume(): Promise<void> {
    await this.host.resume();
    this.out.trayChanged(await this.trayState());
  }

  /** Something outside the store changed (a setting, the service state): bring the tray up to date soon. */
  scheduleRefresh(): void {
    if (this.closed || this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  async readQuitBehavior(): Promise<QuitBehavior> {
    try {
      this.quitBehavior = quitBehaviorFrom(await this.host.dispatch('config:list', {}, 'app'));
    } catch (error) {
      log.warn(`could not read service.quit_behavior for ${this.folder}:`, error);
    }
    return this.quitBehavior;
  }

  /**
   * Stops the coordinator. Working agents are killed (their process groups) or deliberately left
   * running, detached, per `service.quit_behavior`, read again now in case config.toml changed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const behavior = await this.readQuitBehavior();
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.refreshTimer);
    for (const stop of this.unsubscribe.splice(0)) stop();
    this.changes.dispose();
    this.outputs.dispose();
    log.info(`closing ${this.folder} (${behavior})`);
    await this.host.close({ stopAgents: behavior === 'stop-agents' });
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      const { prev, next } = await this.tracker.refresh();
      const [profiles, entries] = await Promise.all([
        this.host.dispatch('executor:list', {}, 'app'),
        this.host.dispatch('config:list', {}, 'app'),
      ]);
      this.needsYou = needsYouSetupFrom(entries, profiles);
      if (this.closed) return;
      const setup = this.needsYou;
      const now = Date.now();
      this.out.notify(decideNotifications(prev, next, (tasks) => needingYou(tasks, setup, now)));
      this.out.trayChanged(await this.trayState());
    } catch (error) {
      log.warn(`could not refresh ${this.folder}:`, error);
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.scheduleRefresh();
      }
    }
  }
}

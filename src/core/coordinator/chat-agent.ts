import type { ChatExchange, ChatMessage } from '../../shared/chat';
import { errorText } from '../../shared/errors';
import type { RunEvent } from '../../shared/run-event';
import type { Settings } from '../../shared/config-types';
import {
  appendChat,
  readAgentSession,
  readChatBox,
  readCoordinatorCursor,
  writeAgentSession,
  writeCoordinatorCursor,
} from '../chat/chat-files';
import { ensureCoordinatorChat, findCoordinatorChat } from '../chat/chat-sessions';
import { chatTurnPrompt, coordinatorRole, graphContext } from '../chat/coordinator-prompt';
import { buildChatClaudeLaunch } from '../executors/claude';
import { shouldRetryFresh } from '../executors/claude-resume';
import type { HostEnv } from '../executors/host-env';
import type { ProjectPaths } from '../project';
import type { InternalRequest } from '../runs/claiming/internal-run';
import type { InternalResult } from '../runs/local-runs';
import type { Store } from '../store/store';

/** Upstream's chat task id: the coordinator agent's runs are listed on it (`wg agents`), no task of the graph here. */
const CHAT_TASK_ID = '.chat-0';

/** A turn of the coordinator agent is stopped after this long (it plans and answers; the work is the tasks'). */
const TURN_TIMEOUT_S = 900;

export interface ChatAgentOptions {
  store: Store;
  paths: ProjectPaths;
  settings: () => Settings;
  hostEnv: HostEnv;
  /** An internal run to its end (LocalRuns.runInternal): recorded, started, watched, killable, its cost counted. */
  run: (request: InternalRequest) => Promise<InternalResult>;
  log: { info(message: string): void; error(message: string): void };
}

/** Upstream's request id: `chat-{unix millis}-{pid}{nanos % 100000, 5 digits}` (upstream's generate_request_id). */
function requestId(): string {
  const nanos = Number(process.hrtime.bigint() % 100_000n);
  return `chat-${Date.now()}-${process.pid}${String(nanos).padStart(5, '0')}`;
}

/** What the agent said last: the stream's result, else its last text. */
function answerOf(events: readonly RunEvent[]): string | null {
  const result = events.findLast((e) => e.type === 'result');
  if (result?.type === 'result' && !result.is_error && result.text?.trim()) return result.text.trim();
  const said = events.findLast((e) => e.type === 'text');
  return said?.type === 'text' && said.text.trim() ? said.text.trim() : null;
}

/** Why a turn gave no answer, in a line for the person. */
function troubleOf(result: InternalResult): string {
  const failed = result.events.findLast((e) => e.type === 'result' && e.is_error);
  const said = failed?.type === 'result' && failed.text ? `: ${failed.text.slice(0, 300)}` : '';
  if (result.code === null) return `the coordinator agent's run was stopped before it answered${said}`;
  return `the coordinator agent's run ended with code ${result.code} without an answer${said}`;
}

/**
 * The coordinator agent the service hosts: each message a person writes is appended to upstream's inbox and answered
 * by one run of Claude Code that goes on with the same conversation (`--resume`, its session id kept beside the
 * chat; a session that cannot be resumed is started afresh), acting on the graph through `wg` with its run's own
 * credential. Messages are answered one at a time, in order, as they arrive (no polling: the send itself starts it).
 */
export class ChatAgent {
  /** The turns, one after another. */
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: ChatAgentOptions) {}

  /** Sends a message and waits up to `timeoutS` for its answer (null then: it is still answered, into the outbox). */
  async send(message: string, timeoutS: number): Promise<ChatExchange> {
    const chatDir = await ensureCoordinatorChat(this.o.paths.dir);
    const request_id = requestId();
    const question = await appendChat(chatDir, 'inbox', { role: 'user', content: message, request_id });
    const answered = this.enqueue(chatDir, question);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutS * 1000);
    });
    try {
      const turn = await Promise.race([answered, late]);
      return { request_id, inbox_id: question.id, answer: turn?.answer ?? null, agent_id: turn?.agentId ?? null };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The messages a coordinator that stopped left unanswered (after the last one answered, `.coordinator-cursor`), each
   * answered now, in order: a restart loses no question.
   */
  async resumePending(): Promise<void> {
    const chatDir = await findCoordinatorChat(this.o.paths.dir);
    if (chatDir === null) return;
    const cursor = await readCoordinatorCursor(chatDir);
    const pending = (await readChatBox(chatDir, 'inbox')).filter((m) => m.id > cursor && m.role === 'user');
    if (pending.length > 0) this.o.log.info(`coordinator chat: answering ${pending.length} message(s) left unanswered`);
    for (const message of pending) void this.enqueue(chatDir, message);
  }

  /** No more turns (the coordinator stops; a turn under way is killed with the runs). */
  stop(): void {
    this.stopped = true;
  }

  private enqueue(chatDir: string, message: ChatMessage): Promise<{ answer: ChatMessage; agentId: string | null } | null> {
    const turn = this.tail.then(() => this.answer(chatDir, message));
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** One turn: the agent's run on the message, its answer (or why there is none) appended to the outbox. */
  private async answer(chatDir: string, message: ChatMessage): Promise<{ answer: ChatMessage; agentId: string | null } | null> {
    if (this.stopped) return null;
    let content: string;
    let role = 'coordinator';
    let agentId: string | null = null;
    try {
      const turn = await this.turn(chatDir, message);
      agentId = turn.agentId ?? null;
      const said = answerOf(turn.events);
      content = said ?? troubleOf(turn);
      if (said === null) role = 'system-error';
    } catch (error) {
      content = `the coordinator agent could not answer: ${errorText(error)}`;
      role = 'system-error';
    }
    if (this.stopped && role === 'system-error') return null;
    const answer = await appendChat(chatDir, 'outbox', { role, content, request_id: message.request_id });
    writeCoordinatorCursor(chatDir, message.id);
    return { answer, agentId };
  }

  /** The run on this message: resumed where the last one left off, or afresh when that session cannot be resumed. */
  private async turn(chatDir: string, message: ChatMessage): Promise<InternalResult> {
    const session = await readAgentSession(chatDir);
    const first = await this.runOnce(message, session);
    if (session === null || !shouldRetryFresh(first.code, first.events)) {
      this.keepSession(chatDir, first.events, session);
      return first;
    }
    this.o.log.info(`coordinator chat: session ${session} could not be resumed; starting a new one`);
    const fresh = await this.runOnce(message, null);
    this.keepSession(chatDir, fresh.events, null);
    return fresh;
  }

  private keepSession(chatDir: string, events: readonly RunEvent[], had: string | null): void {
    const started = events.find((e) => e.type === 'session');
    const id = started?.type === 'session' ? started.session_id : null;
    if (id && id !== had) writeAgentSession(chatDir, id);
  }

  private async runOnce(message: ChatMessage, session: string | null): Promise<InternalResult> {
    const settings = this.o.settings();
    const [tasks, working] = await Promise.all([this.o.store.summaries(), this.o.store.agents.list({ working: true })]);
    const prompt = chatTurnPrompt({
      role: session === null ? await coordinatorRole(this.o.paths.dir) : null,
      context: graphContext(tasks, working, new Date()),
      message: message.content,
      requestId: message.request_id,
    });
    const model = settings.coordinator.model;
    const spec = buildChatClaudeLaunch({
      prompt,
      modelId: model,
      cwd: this.o.paths.root,
      resumeSessionId: session,
      sandbox: settings.agent.sandbox,
      hostEnv: this.o.hostEnv,
    });
    if (spec.kind !== 'process') throw new Error('the coordinator agent has no process to run');
    return this.o.run({
      purpose: 'chat',
      taskId: CHAT_TASK_ID,
      spec,
      executor: 'claude',
      model,
      model_source: model ? 'coordinator' : null,
      timeout_s: TURN_TIMEOUT_S,
      acts: true,
    });
  }
}

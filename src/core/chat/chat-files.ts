import { appendFile, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../shared/chat';
import { replaceFile } from '../files/no-follow';
import { lockUpstreamFile } from '../upstream-sync/graph-lock';

/*
 * A chat session's files, as upstream's chat store keeps them in `chat/<session>/`: `inbox.jsonl` (a person's
 * messages), `outbox.jsonl` (the coordinator's answers), one ChatMessage a line with ids rising per file;
 * `chat.log`, the same in plain text; `.coordinator-cursor`, the last inbox id answered. A line is appended under
 * upstream's lock, a flock on `<file>.lock` beside it, so upstream's TUI appending at once never takes the same id.
 */

const LOCK_WAIT_MS = 10_000;

type ChatBox = 'inbox' | 'outbox';

const boxPath = (chatDir: string, box: ChatBox) => join(chatDir, `${box}.jsonl`);

/** Each message of a file, in id order; a line that is no message (cut short by a crash) is passed over. */
async function readBox(path: string): Promise<ChatMessage[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages: ChatMessage[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const message = JSON.parse(line) as ChatMessage;
      if (typeof message.id === 'number' && typeof message.content === 'string') messages.push(message);
    } catch {
      // Half a line: upstream's reader would stop at it; the messages around it still read.
    }
  }
  return messages.sort((a, b) => a.id - b.id);
}

export function readChatBox(chatDir: string, box: ChatBox): Promise<ChatMessage[]> {
  return readBox(boxPath(chatDir, box));
}

/** Who sends, as upstream's `current_user()`: WG_USER, else the login name. */
function currentUser(): string {
  const named = process.env.WG_USER?.trim();
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Appends one message with the next id of its file (upstream's `append_message`), and its plain-text line to chat.log. */
export async function appendChat(
  chatDir: string,
  box: ChatBox,
  message: { role: string; content: string; request_id: string; full_response?: string },
): Promise<ChatMessage> {
  const path = boxPath(chatDir, box);
  const lock = await lockUpstreamFile(`${path}.lock`, LOCK_WAIT_MS);
  try {
    const last = (await readBox(path)).at(-1)?.id ?? 0;
    const written: ChatMessage = {
      id: last + 1,
      timestamp: new Date().toISOString(),
      role: message.role,
      content: message.content,
      request_id: message.request_id,
      ...(message.full_response !== undefined ? { full_response: message.full_response } : {}),
      user: currentUser(),
    };
    await appendFile(path, `${JSON.stringify(written)}\n`, { mode: 0o644 });
    const logged = message.full_response ?? message.content;
    await appendFile(join(chatDir, 'chat.log'), `[${written.timestamp}] ${message.role}: ${logged}\n\n`, { mode: 0o644 });
    return written;
  } finally {
    lock.release();
  }
}

/** Both files, interleaved by time (upstream's `read_history_for`). */
export async function readChatHistory(chatDir: string): Promise<ChatMessage[]> {
  const [inbox, outbox] = await Promise.all([readChatBox(chatDir, 'inbox'), readChatBox(chatDir, 'outbox')]);
  return [...inbox, ...outbox].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}

/** `.coordinator-cursor`: the last inbox id the coordinator answered (0: none), upstream's `N\n`. */
export async function readCoordinatorCursor(chatDir: string): Promise<number> {
  try {
    const value = Number.parseInt((await readFile(join(chatDir, '.coordinator-cursor'), 'utf8')).trim(), 10);
    return Number.isFinite(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}

export function writeCoordinatorCursor(chatDir: string, id: number): void {
  replaceFile(join(chatDir, '.coordinator-cursor'), `${id}\n`, { mode: 0o644 });
}

/**
 * The Claude Code session the coordinator agent's conversation goes on in (`--resume`): this app's own file in the
 * session's folder, as upstream keeps codex's in `.codex-session-id`. Null: none yet, a new session.
 */
export async function readAgentSession(chatDir: string): Promise<string | null> {
  try {
    const id = (await readFile(join(chatDir, '.claude-session-id'), 'utf8')).trim();
    return id === '' ? null : id;
  } catch {
    return null;
  }
}

export function writeAgentSession(chatDir: string, sessionId: string | null): void {
  replaceFile(join(chatDir, '.claude-session-id'), sessionId === null ? '' : `${sessionId}\n`, { mode: 0o644 });
}

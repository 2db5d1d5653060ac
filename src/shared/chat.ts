/**
 * One message of the coordinator chat, as upstream's `ChatMessage` writes it, one JSON line each in
 * `.wg/chat/<session>/inbox.jsonl` (a person's) and `outbox.jsonl` (the coordinator's): the same fields and names, so
 * a project moves between the two tools with its chat.
 */
export interface ChatMessage {
  /** Rising within its file (the inbox and the outbox count apart). */
  id: number;
  /** ISO 8601. */
  timestamp: string;
  /** `user` or `coordinator`. */
  role: string;
  content: string;
  /** The sender's id for the exchange: the answer carries its question's. */
  request_id: string;
  /** Upstream's attachments (copied under `.wg/attachments/`): kept when read, none written here. */
  attachments?: Array<{ path: string; mime_type: string; size_bytes: number }>;
  /** The coordinator's whole answer with its tool calls, where `content` is its summary. */
  full_response?: string;
  /** Who sent it (upstream's `current_user()`). */
  user?: string;
}

/** What `wg chat "…"` gets back: the question as stored, and the coordinator's answer (null: none within the wait). */
export interface ChatExchange {
  request_id: string;
  /** The question's id in the inbox. */
  inbox_id: number;
  answer: ChatMessage | null;
  /** The run that answered (`wg agents`, `wg kill`), when one started. */
  agent_id: string | null;
}

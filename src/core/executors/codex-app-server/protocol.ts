import { z } from 'zod';

/**
 * The part of codex's app-server protocol (`codex app-server`: JSON-RPC 2.0 over stdio, one JSON object a line,
 * without the `"jsonrpc"` member) that a codex run uses, as codex 0.169 defines it (`codex app-server generate-ts`
 * prints the whole of it; these are checked against that output). What codex sends is validated here; a member
 * this app does not read is let through (`loose`), so a newer codex that adds one still parses.
 */

/**
 * One line from the app server: a response to a request of ours (`id` with `result` or `error`), a request of its
 * own (`id` and `method`), or a notification (`method` only).
 */
export const incomingLine = z
  .object({
    id: z.union([z.number(), z.string()]).optional(),
    method: z.string().optional(),
    params: z.unknown().optional(),
    result: z.unknown().optional(),
    error: z.object({ code: z.number().optional(), message: z.string() }).loose().optional(),
  })
  .loose();

/** `UserInput` of kind text: what a turn is started or steered with. */
export interface TextInput {
  type: 'text';
  text: string;
  text_elements: never[];
}
export const textInput = (text: string): TextInput => ({ type: 'text', text, text_elements: [] });

/** `initialize`'s params (`InitializeParams`): who we are; no experimental API is asked for. */
export const initializeParams = (version: string) => ({
  clientInfo: { name: 'workgraph', title: 'Workgraph', version },
  capabilities: { experimentalApi: false, requestAttestation: false },
});
export const initializeResult = z.object({ userAgent: z.string() }).loose();

/**
 * `thread/start` and `thread/resume` params: the model (null: codex's config decides), the working folder, and
 * what `codex exec --dangerously-bypass-approvals-and-sandbox` gave runs: no approval asked, no sandbox (a run must
 * reach `wg` and WG_API_URL).
 */
export interface ThreadParams {
  model: string | null;
  cwd: string;
  approvalPolicy: 'never';
  sandbox: 'danger-full-access';
}
/** `ThreadStartResponse` and `ThreadResumeResponse`: the thread, whose id is the session a retry resumes. */
export const threadResult = z.object({ thread: z.object({ id: z.string() }).loose() }).loose();

/** `turn/start` (`TurnStartParams`) and `turn/steer` (`TurnSteerParams`: only while that turn is active). */
export interface TurnStartParams {
  threadId: string;
  input: TextInput[];
}
export interface TurnSteerParams extends TurnStartParams {
  expectedTurnId: string;
}
export const turnStartResult = z.object({ turn: z.object({ id: z.string() }).loose() }).loose();
export const turnSteerResult = z.object({ turnId: z.string() }).loose();

/** `ThreadItem`: its kind and id; the members of each kind are read where it is translated (exec-events.ts). */
const threadItem = z.object({ type: z.string(), id: z.string().optional() }).loose();
export type ThreadItem = z.infer<typeof threadItem>;

const turnError = z.object({ message: z.string() }).loose();

/** The notifications a run reads, by method. */
export const notifications = {
  'turn/started': z.object({ threadId: z.string(), turn: z.object({ id: z.string() }).loose() }).loose(),
  'item/started': z.object({ item: threadItem, threadId: z.string(), turnId: z.string() }).loose(),
  'item/completed': z.object({ item: threadItem, threadId: z.string(), turnId: z.string() }).loose(),
  'turn/completed': z
    .object({
      threadId: z.string(),
      turn: z
        .object({
          id: z.string(),
          status: z.enum(['completed', 'interrupted', 'failed', 'inProgress']),
          error: turnError.nullable(),
        })
        .loose(),
    })
    .loose(),
  'thread/tokenUsage/updated': z
    .object({
      threadId: z.string(),
      turnId: z.string(),
      tokenUsage: z
        .object({
          total: z.object({ inputTokens: z.number(), cachedInputTokens: z.number(), outputTokens: z.number() }).loose(),
        })
        .loose(),
    })
    .loose(),
  error: z.object({ error: turnError, willRetry: z.boolean(), threadId: z.string(), turnId: z.string() }).loose(),
} as const;
export type NotificationMethod = keyof typeof notifications;
export type Notification<M extends NotificationMethod> = z.infer<(typeof notifications)[M]>;

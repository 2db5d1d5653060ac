import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opPath } from '../shared/api-contract';
import type { JobOpResultMessage } from '../shared/agent-protocol';
import { WgError, type WgErrorCode } from '../shared/errors';
import { defaultWgCommand } from '../core/runs/starting/bundled-files';
import { agentWgScript } from '../core/runs/starting/agent-wg';
import { installClaudeEnvFile } from '../core/runs/starting/claude-env-file';
import type { SendResult } from './connection';
import { readJsonBody } from '../core/service/http/body';
import { HttpError } from '../core/service/http/reply';

/** What a job's `wg` needs in its environment to reach the relay (src/cli/run-op.ts reads them). */
export interface RelayEnv {
  WG_AGENTD_RELAY: string;
  WG_AGENTD_JOB_TOKEN: string;
  WG_BIN: string;
}

/** `/api/op/`: the coordinator's own API path for operations, so the CLI calls both alike. */
const OP_PATH_PREFIX = opPath('');
const CODES: readonly string[] = ['invalid', 'not_found', 'conflict', 'cycle', 'unavailable', 'unauthorized', 'forbidden'];

/** Distinct operations counted per job (the protocol's limit on a result's wg_calls). */
const MAX_COUNTED_OPS = 100;
/** A relayed request waits this long for the coordinator's answer. */
const ANSWER_TIMEOUT_MS = 60_000;
/** A `wg` command's input is small (a log line, a task); anything bigger is refused before it is read whole. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RelaySender {
  /** Sends a job.op over the daemon's connection: 'offline' while it is not connected, or why it would be refused. */
  send(leaseId: string, requestId: number, op: string, input: unknown): SendResult;
}

interface Pending {
  resolve(answer: JobOpResultMessage): void;
  timer: NodeJS.Timeout;
}

/**
 * The `wg` inside a remote job: an HTTP server on loopback that takes the job's `wg` commands
 * (`POST /api/op/<name>`, as the coordinator's API takes them) and relays each over the daemon's
 * connection as a job.op with the job's lease. Each job gets a token of its own (`wgj_`), so a
 * command acts as that job and no other; the coordinator decides what the job may do.
 */
export class JobRelay {
  private server: Server | null = null;
  private port = 0;
  private binDir: string | null = null;
  private seq = 0;
  /** Job token → lease. */
  private readonly jobs = new Map<string, string>();
  /** Lease → the job's `wg` commands the coordinator accepted, by operation (what the job reported, for its result). */
  private readonly accepted = new Map<string, Record<string, number>>();
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly sender: RelaySender) {}

  /** The `wg` jobs run: a script in a folder of its own that runs this daemon's CLI. */
  get wgPath(): string {
    return join(this.binDir ?? tmpdir(), 'wg');
  }

  /** `forOtherUser`: jobs run as another user (RUN_AS), who must be able to run the script (it holds no secret). */
  async start(forOtherUser = false): Promise<void> {
    this.binDir = mkdtempSync(join(tmpdir(), 'wg-agentd-bin-'));
    if (forOtherUser) chmodSync(this.binDir, 0o755);
    writeFileSync(this.wgPath, agentWgScript(defaultWgCommand()), { mode: 0o755 });
    chmodSync(this.wgPath, 0o755);
    // Beside it, what Claude Code runs before each command of a job: its folder first on PATH again (claude-env-file.ts).
    installClaudeEnvFile(this.binDir, process.env.CLAUDE_ENV_FILE?.trim() || null);
    const server = createServer((req, res) => void this.request(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  stop(): void {
    this.server?.closeAllConnections();
    this.server?.close();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
    }
    if (this.binDir) rmSync(this.binDir, { recursive: true, force: true });
  }

  /** A job starts: its own token, and the environment its `wg` reads. */
  open(leaseId: string): RelayEnv {
    const token = `wgj_${randomBytes(24).toString('hex')}`;
    this.jobs.set(token, leaseId);
    return { WG_AGENTD_RELAY: `http://127.0.0.1:${this.port}`, WG_AGENTD_JOB_TOKEN: token, WG_BIN: this.wgPath };
  }

  /** The job ended: its token opens nothing any more. Returns its `wg` commands the coordinator accepted, by operation. */
  close(leaseId: string): Record<string, number> {
    for (const [token, lease] of this.jobs) if (lease === leaseId) this.jobs.delete(token);
    const calls = this.accepted.get(leaseId) ?? {};
    this.accepted.delete(leaseId);
    return calls;
  }

  /** The coordinator's answer to a relayed command. */
  answered(message: JobOpResultMessage): void {
    const pending = this.pending.get(message.request_id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(message.request_id);
    pending.resolve(message);
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // Only a job's own `wg` calls here: a browser page (its Host or Origin) never may.
      if (req.headers.host !== `127.0.0.1:${this.port}` || req.headers.origin !== undefined) throw new WgError('forbidden', 'not allowed');
      const path = new URL(req.url ?? '/', 'http://relay').pathname;
      if (req.method !== 'POST' || !path.startsWith(OP_PATH_PREFIX)) throw new WgError('not_found', 'no such route');
      const header = req.headers.authorization ?? '';
      const lease = this.jobs.get(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
      if (!lease) throw new WgError('unauthorized', 'this is not the token of a job this agent daemon runs');
      const op = decodeURIComponent(path.slice(OP_PATH_PREFIX.length));
      const input = await readJsonBody(req, MAX_BODY_BYTES);
      const answer = await this.relay(lease, op, input);
      if (answer.ok) {
        this.count(lease, op);
        return reply(res, 200, answer.output ?? null);
      }
      const code = answer.error?.code ?? 'internal';
      return reply(res, httpStatus(code), { error: answer.error?.message ?? 'refused', code });
    } catch (error) {
      // The body's own refusals (too large, not JSON, nested too deeply) come with their status and one line.
      if (error instanceof HttpError) return reply(res, error.status, { error: error.message, code: error.code });
      const wg = error instanceof WgError ? error : new WgError('invalid', 'the request could not be read');
      reply(res, wg.httpStatus, { error: wg.message, code: wg.code });
    }
  }

  /** One more accepted command of the job's (only while its token is open: a closed job's tally is gone). */
  private count(lease: string, op: string): void {
    if (![...this.jobs.values()].includes(lease) || !/^[a-z-]+:[a-z-]+$/.test(op)) return;
    const calls = this.accepted.get(lease) ?? {};
    if (calls[op] === undefined && Object.keys(calls).length >= MAX_COUNTED_OPS) return;
    calls[op] = (calls[op] ?? 0) + 1;
    this.accepted.set(lease, calls);
  }

  private relay(lease: string, op: string, input: unknown): Promise<JobOpResultMessage> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const sent = this.sender.send(lease, id, op, input);
      if (sent === 'offline') {
        reject(new WgError('unavailable', 'the agent daemon is not connected to its coordinator just now; try again in a moment'));
        return;
      }
      // The coordinator would refuse it (the protocol's own check): said now, rather than after a minute's wait.
      if (sent !== 'sent') {
        reject(new WgError('invalid', `the command cannot be relayed: ${sent.refused}`));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new WgError('unavailable', 'the coordinator did not answer in time; try again'));
      }, ANSWER_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
    });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function httpStatus(code: string): number {
  return CODES.includes(code) ? new WgError(code as WgErrorCode, '').httpStatus : 500;
}

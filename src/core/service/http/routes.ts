import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PREFIX, EVENTS_PATH, type OpReply, WARNINGS_HEADER, WATCH_PARAM } from '../../../shared/api-contract';
import type { OpName } from '../../../shared/ops/registry';
import { isOpName } from '../../ops/dispatch';
import { shownValue } from '../../text/plain-text';
import { CHANGED_PATH } from '../../connecting/coordinator-poke';
import { readJsonBody } from './body';
import type { EventStream } from './event-stream';
import { checkHost, checkOrigin, checkToken, type Grant, type PersonLookup, type Transport } from './guard';
import type { PersonCaller, TokenHolder } from '../../../shared/agent-daemon-types';
import { HttpError, sendError, sendJson } from './reply';
import { serveStatic } from './static-files';
import { tokenMatches } from '../api-token';
import { PEER_FOLLOW_PREFIX, PEER_OUTPUT_PREFIX } from '../../peers/output-key';
import type { RunEventPage } from '../../../shared/run-event';

export const SHUTDOWN_PATH = `${API_PREFIX}/internal/shutdown`;

export interface ApiHandlers {
  token: string;
  /** People's tokens (`wg token create NAME --person`), looked up on every request. */
  people?: PersonLookup;
  /** `warn`: where the operation's warnings go, when its caller asked for them (WARNINGS_HEADER). */
  dispatch(
    name: OpName,
    input: unknown,
    actor: string,
    agent?: RequestRun,
    person?: PersonCaller,
    warn?: (message: string) => void,
  ): Promise<unknown>;
  /** Another process changed the store: look now; answers the current revision. */
  poked(): Promise<number>;
  currentRev(): number;
  events: EventStream;
  /**
   * A window watches a run's output (`/api/events?watch=<agent>`): an unknown run is refused; on a team's graph
   * a run of another coordinator is followed there until the returned release.
   */
  watchOutput(agent: string): Promise<() => void>;
  rendererDir: string | null;
  /** Only the daemon can be stopped over the API (the app stops with its window). */
  shutdown?(options: { killAgents: boolean }): void;
  /** On a team's graph: another coordinator of the project asking for a page of a run this one started (src/core/peers/). */
  peerOutput?: {
    key: string;
    read(agent: string, offset: number, limit: number): Promise<RunEventPage>;
    /** Answers a follow of one of its runs' output (owned-follow.ts). */
    follow(agent: string, res: ServerResponse): Promise<void>;
  };
}

/** The agent run a request comes from (its reports are checked against the task it is about). */
interface RequestRun {
  id: string;
  runId: string | null;
  /** Sent with the run's own credential over TCP (a run sent away): held to its own task, reads included (run-authority.ts). */
  credential?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[\w.:@-]{1,100}$/;
const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' && NAME.test(value) ? value : null;
};

/** Who is acting: `X-WG-Actor` when a client names itself (agents, the app), else `api`. */
function actorOf(req: IncomingMessage): string {
  return header(req, 'x-wg-actor') ?? 'api';
}

/** A run's credential acts as its agent, a person's token as that person, whatever name either gives itself. */
function runActor(req: IncomingMessage, grant: Grant): string {
  if (grant.kind === 'run') return grant.run.agentId;
  if (grant.kind === 'person') return grant.person.name;
  return actorOf(req);
}

const personOf = (grant: Grant): PersonCaller | undefined => (grant.kind === 'person' ? grant.person : undefined);
/** Whose token a person's event stream came with, so that a revoke (and a reissue of the name) ends it. */
const holderOf = (grant: Grant): TokenHolder | undefined =>
  grant.kind === 'person' ? { name: grant.person.name, issued: grant.issued } : undefined;

/**
 * `X-WG-Agent` (and `X-WG-Run`, the run id an agent was given): a request from an agent's run.
 * A run's credential says which run it is; naming another agent or run with it is refused.
 * Over the unix socket, which only the coordinator's own user can open, it is a local run's `wg` (a team's graph,
 * whose runs hold no login to the store: run-op.ts), held to what a local run's `wg` may do (run-authority.ts), no
 * more and no less; over TCP it may come from anywhere, and is held to what a run sent away may do (`credential`).
 */
function agentOf(req: IncomingMessage, grant: Grant, transport: Transport, named?: string, runId?: unknown): RequestRun | undefined {
  if (grant.kind === 'run') {
    const { agentId, runId: own } = grant.run;
    const claimed = [named ?? header(req, 'x-wg-agent'), typeof runId === 'string' ? runId : header(req, 'x-wg-run')];
    if (claimed[0] && claimed[0] !== agentId) throw new HttpError(403, 'forbidden', `this credential is ${agentId}'s, not ${claimed[0]}'s`);
    if (claimed[1] && claimed[1] !== own) throw new HttpError(403, 'forbidden', `this credential is for another run of ${agentId}`);
    return transport.kind === 'unix' ? { id: agentId, runId: own } : { id: agentId, runId: own, credential: true };
  }
  const id = named ?? header(req, 'x-wg-agent');
  if (grant.kind === 'person') {
    // Everything a person does is theirs: a person's token never speaks for an agent's run.
    if (id || header(req, 'x-wg-run')) throw new HttpError(403, 'forbidden', `this token is ${grant.person.name}'s, not an agent's run`);
    return undefined;
  }
  if (!id) return undefined;
  const run = typeof runId === 'string' && NAME.test(runId) ? runId : header(req, 'x-wg-run');
  return { id, runId: run };
}

/** A path segment, decoded; malformed percent-encoding is the client's mistake (400), not ours. */
function segment(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new HttpError(400, 'invalid', 'malformed percent-encoding in the URL path');
  }
}

function requirePost(req: IncomingMessage): void {
  if (req.method !== 'POST') throw new HttpError(405, 'invalid', `use POST for ${req.url ?? ''}`);
}

const PAGE_LIMIT = 5000;

/** A count from the query string, or the default; anything else is the client's mistake. */
function count(url: URL, name: string, fallback: number, max: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || value > max) throw new HttpError(400, 'invalid', `${name} must be a whole number up to ${max}`);
  return value;
}

/**
 * A page of a run's output for another coordinator of the project: only with this coordinator's output key,
 * which opens nothing else (no other route accepts it, and this route accepts nothing else).
 */
async function peerOutput(h: ApiHandlers, req: IncomingMessage, res: ServerResponse, url: URL, agent: string): Promise<void> {
  const peer = peerGrant(h, req);
  const offset = count(url, 'offset', 0, 999_999_999);
  const limit = Math.max(1, count(url, 'limit', 200, PAGE_LIMIT));
  sendJson(res, 200, await peer.read(agent, offset, limit));
}

/** The output key, and only it, opens the peer routes, and only with GET. */
function peerGrant(h: ApiHandlers, req: IncomingMessage): NonNullable<ApiHandlers['peerOutput']> {
  const header = req.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  if (!h.peerOutput || !tokenMatches(h.peerOutput.key, given))
    throw new HttpError(401, 'unauthorized', "not this coordinator's output key");
  if (req.method !== 'GET') throw new HttpError(405, 'invalid', "use GET for a run's output");
  return h.peerOutput;
}

const COMPLETE_FIELDS: ReadonlySet<string> = new Set(['agent', 'run_id', 'artifacts']);
const HEARTBEAT_FIELDS: ReadonlySet<string> = new Set(['run_id']);

/**
 * An HTTP agent's callback body: a JSON object of the fields it takes. Anything else (a list, a string, a misspelled
 * `artifact`) is refused rather than read as an empty body, which would mark the task done without what was sent.
 */
function callbackBody(body: unknown, fields: ReadonlySet<string>, what: string): Record<string, unknown> {
  const takes = [...fields].join(', ');
  if (!isRecord(body)) throw new HttpError(400, 'invalid', `the body of ${what} is a JSON object with: ${takes}`);
  const unknown = Object.keys(body).filter((key) => !fields.has(key));
  if (unknown.length > 0)
    throw new HttpError(
      400,
      'invalid',
      `unknown field${unknown.length === 1 ? '' : 's'} in ${what}: ${unknown.join(', ')} (it takes ${takes})`,
    );
  return body;
}

/** One handler for the TCP port and the unix socket; `transport` says which one the request came in on. */
export function createRequestHandler(h: ApiHandlers, transport: () => Transport) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const via = transport();
    void route(h, via, req, res).catch((error: unknown) => sendError(res, error, via.kind === 'tcp'));
  };
}

async function route(h: ApiHandlers, transport: Transport, req: IncomingMessage, res: ServerResponse): Promise<void> {
  checkHost(req, transport);
  checkOrigin(req, transport);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (!path.startsWith(`${API_PREFIX}/`)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'invalid', 'only GET outside /api');
    serveStatic(res, h.rendererDir, path);
    return;
  }
  if (path.startsWith(PEER_FOLLOW_PREFIX)) {
    await peerGrant(h, req).follow(segment(path.slice(PEER_FOLLOW_PREFIX.length)), res);
    return;
  }
  if (path.startsWith(PEER_OUTPUT_PREFIX)) {
    await peerOutput(h, req, res, url, segment(path.slice(PEER_OUTPUT_PREFIX.length)));
    return;
  }
  const grant = await checkToken(req, url, h.token, path === EVENTS_PATH, h.people);
  const runOnly = grant.kind === 'run' || header(req, 'x-wg-run') !== null;

  if (path === EVENTS_PATH) {
    if (grant.kind === 'run') throw new HttpError(403, 'forbidden', "a run's credential does not open the event stream");
    if (req.method !== 'GET') throw new HttpError(405, 'invalid', 'use GET for the event stream');
    const watch = url.searchParams.get(WATCH_PARAM);
    if (watch === null) {
      h.events.add(res, h.currentRev(), holderOf(grant));
      return;
    }
    if (!NAME.test(watch)) throw new HttpError(400, 'invalid', 'watch must name an agent run');
    const release = await h.watchOutput(watch);
    res.on('close', release);
    h.events.add(res, h.currentRev(), holderOf(grant), watch);
    return;
  }
  requirePost(req);
  const op = /^\/api\/op\/([^/]+)$/.exec(path);
  if (op) {
    const name = segment(op[1]);
    if (!isOpName(name)) throw new HttpError(404, 'not_found', `no operation ${shownValue(name)}`);
    const input = await readJsonBody(req);
    if (header(req, WARNINGS_HEADER) === null) {
      sendJson(res, 200, await h.dispatch(name, input, runActor(req, grant), agentOf(req, grant, transport), personOf(grant)));
      return;
    }
    const warnings: string[] = [];
    const result = await h.dispatch(name, input, runActor(req, grant), agentOf(req, grant, transport), personOf(grant), (m) =>
      warnings.push(m),
    );
    res.setHeader(WARNINGS_HEADER, '1');
    sendJson(res, 200, { result, warnings } satisfies OpReply);
    return;
  }
  const complete = /^\/api\/task\/([^/]+)\/complete$/.exec(path);
  if (complete) {
    const id = segment(complete[1]);
    const fields = callbackBody(await readJsonBody(req), COMPLETE_FIELDS, 'the completion');
    const agent = typeof fields.agent === 'string' ? fields.agent : undefined;
    const input = { id, agent, artifacts: fields.artifacts };
    const run = agentOf(req, grant, transport, agent, fields.run_id);
    sendJson(res, 200, await h.dispatch('task:done', input, agent ?? runActor(req, grant), run, personOf(grant)));
    return;
  }
  const heartbeat = /^\/api\/agent\/([^/]+)\/heartbeat$/.exec(path);
  if (heartbeat) {
    const agent = segment(heartbeat[1]);
    const body = callbackBody(await readJsonBody(req), HEARTBEAT_FIELDS, 'a heartbeat');
    sendJson(
      res,
      200,
      await h.dispatch('task:heartbeat', { agent }, agent, agentOf(req, grant, transport, agent, body.run_id), personOf(grant)),
    );
    return;
  }
  if (path === CHANGED_PATH) {
    // The poke carries nothing; answering without waiting for its (empty) body saves a turn.
    req.resume();
    sendJson(res, 200, { rev: await h.poked() });
    return;
  }
  if (path === SHUTDOWN_PATH && h.shutdown) {
    if (runOnly) throw new HttpError(403, 'forbidden', "an agent's run cannot stop the coordinator");
    if (grant.kind === 'person' && !grant.person.admin) {
      throw new HttpError(403, 'forbidden', `${grant.person.name}'s token cannot stop the coordinator; an admin's can`);
    }
    const body = await readJsonBody(req);
    const killAgents = isRecord(body) && body.kill_agents === true;
    sendJson(res, 202, { stopping: true, kill_agents: killAgents });
    h.shutdown({ killAgents });
    return;
  }
  throw new HttpError(404, 'not_found', `no route ${req.method ?? ''} ${path}`);
}

import {
  daemonFrame,
  MAX_AGENT_MESSAGE_BYTES,
  MAX_FAIL_REASON_CHARS,
  MAX_RESULT_DIFF_CHARS,
  MAX_RESULT_OUTPUT_CHARS,
  megabytes,
  utf8Bytes,
  type FailMessage,
  type ProgressMessage,
  type ResultMessage,
} from '../shared/agent-protocol';
import type { RunEvent } from '../shared/run-event';

/**
 * What a daemon sends must fit the protocol, or the coordinator refuses it (a result over the schema's
 * limits) or its socket drops the whole connection (a frame over MAX_AGENT_MESSAGE_BYTES, 1009): either
 * way a result never arrived, was sent again after every reconnect, and the job's lease ran out and the
 * task ran again. So a job's end is cut to fit before it is kept, saying so plainly; if it still would
 * not be taken, the job's failure goes instead, with one plain reason.
 */

/** Below the socket's limit: the frame is measured exactly, this is only for rounding. */
const FRAME_BUDGET = MAX_AGENT_MESSAGE_BYTES - 1024;
/** Room kept in a cut diff for its first line (the note), beyond the note's path and branch. */
const NOTE_ROOM = 400;
/** Room kept at the end of an output for the notes of what was cut. */
const OUTPUT_NOTE_ROOM = 200;
/** A progress event's text (or a tool call's input as JSON) beyond this is cut, when a batch does not fit a frame. */
const EVENT_TEXT_LIMIT = 256 * 1024;
/** The most events a progress message carries (its schema). */
const MAX_EVENTS = 5000;

/** Where the job ran, for a note that says where the whole of its change is. */
export interface JobPlace {
  host: string;
  /** The job's folder on the daemon's machine. */
  path: string;
  /** The diff was read whole (git-changes.ts reads at most DIFF_READ_LIMIT). */
  diffWhole: boolean;
}

/** A job's end as it will be sent, and what was cut from it (for the daemon's log; the result says it too). */
export interface Deliverable {
  end: ResultMessage | FailMessage;
  notes: string[];
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** The diff up to the last whole file that fits in `limit` characters ('' when not even the first does): never half a hunk. */
function cutAfterWholeFiles(diff: string, limit: number): string {
  if (limit <= 0) return '';
  const cut = diff.lastIndexOf('\ndiff --git ', limit - 1);
  return cut > 0 ? diff.slice(0, cut + 1) : '';
}

function build(message: ResultMessage, place: JobPlace, diffLimit: number): { message: ResultMessage; notes: string[] } {
  const notes: string[] = [];
  let diff = message.diff;
  if (diff !== null && (!place.diffWhole || diff.length > diffLimit)) {
    const size = place.diffWhole ? megabytes(diff.length) : `more than ${megabytes(diff.length)}`;
    const where = `the full change is in ${place.path} on agent daemon ${place.host}${message.branch ? ` (branch ${message.branch})` : ''}`;
    const kept = cutAfterWholeFiles(diff, diffLimit - NOTE_ROOM - where.length);
    if (kept === '') {
      notes.push(oneLine(`Diff left out: it is ${size}, more than a result carries; ${where}.`));
      diff = null;
    } else {
      const note = oneLine(`Diff cut at ${megabytes(kept.length)} of ${size} (whole files only); ${where}.`);
      notes.push(note);
      // Its first line: git apply skips what comes before the first file, as it skips an email's text.
      diff = `# ${note}\n${kept}`;
    }
  }
  let output = message.output;
  const said = notes.join('\n');
  if (output.length + said.length + 2 > MAX_RESULT_OUTPUT_CHARS) {
    // The end is kept: an answer ends with its conclusion (the coordinator keeps an output's end too).
    const keep = MAX_RESULT_OUTPUT_CHARS - said.length - OUTPUT_NOTE_ROOM;
    const note = `Output cut to its last ${keep} characters (of ${output.length}).`;
    output = `…${output.slice(-keep)}\n\n${[note, ...notes].join('\n')}`;
    notes.unshift(note);
  } else if (notes.length > 0) {
    output = output.trim() === '' ? said : `${output}\n\n${said}`;
  }
  return notes.length === 0 ? { message, notes } : { message: { ...message, output, diff }, notes };
}

/**
 * A result within the protocol's limits: its output within MAX_RESULT_OUTPUT_CHARS (its end kept), its
 * diff within MAX_RESULT_DIFF_CHARS and the whole frame within the socket's limit (cut after the last
 * whole file that fits, or left out), each cut said at the end of its output and, for a diff, on its
 * first line. A result that fits is returned as it is.
 */
export function fitResult(message: ResultMessage, place: JobPlace): { message: ResultMessage; notes: string[] } {
  let limit = MAX_RESULT_DIFF_CHARS;
  for (let round = 0; round < 8; round++) {
    const built = build(message, place, limit);
    const bytes = utf8Bytes(JSON.stringify(built.message));
    const diff = built.message.diff;
    if (bytes <= FRAME_BUDGET || diff === null) return built;
    // As JSON a diff may take far more bytes than characters (quotes, control characters): as many
    // characters as its bytes per character leave room for; again, smaller, if its files differ.
    const diffBytes = utf8Bytes(JSON.stringify(diff));
    const room = FRAME_BUDGET - (bytes - diffBytes);
    limit = Math.min(diff.length - 1, Math.floor((diff.length * room) / diffBytes));
  }
  return build(message, place, 0);
}

/** A failure within the protocol's limits: its reason one it takes (cut at MAX_FAIL_REASON_CHARS, never empty). */
function fitFailure(message: FailMessage): FailMessage {
  let reason = message.reason.trim() === '' ? 'the job failed (it gave no reason)' : message.reason;
  if (reason.length > MAX_FAIL_REASON_CHARS) reason = `${reason.slice(0, MAX_FAIL_REASON_CHARS - 1)}…`;
  return reason === message.reason ? message : { ...message, reason };
}

/**
 * A job's end as the coordinator will take it: cut to fit (fitResult, fitFailure), and checked as the
 * coordinator checks it. A result it would still refuse becomes the job's failure (one plain reason):
 * sent again and again it would never be taken, and the job would only run again once its lease ran out.
 */
export function deliverable(end: ResultMessage | FailMessage, place: JobPlace): Deliverable {
  const fitted = end.type === 'ticket.result' ? fitResult(end, place) : { message: fitFailure(end), notes: [] };
  const frame = daemonFrame(fitted.message);
  if (frame.ok) return { end: fitted.message, notes: fitted.notes };
  const what = end.type === 'ticket.result' ? 'its result' : 'its failure';
  const failure = fitFailure({
    type: 'ticket.fail',
    lease_id: end.lease_id,
    kind: 'error',
    reason: oneLine(`${what} could not be sent (${frame.error}); what it did is in ${place.path} on agent daemon ${place.host}`),
    exit_code: null,
    cost_usd: end.cost_usd,
    tokens_in: end.tokens_in,
    tokens_out: end.tokens_out,
    retry_after: null,
    duration_ms: end.duration_ms,
  });
  // Its usage may be what was refused: without it, a failure always goes.
  const sure = daemonFrame(failure).ok ? failure : { ...failure, cost_usd: null, tokens_in: null, tokens_out: null, duration_ms: 0 };
  return { end: sure, notes: [sure.reason] };
}

function cutText(text: string): string {
  return text.length <= EVENT_TEXT_LIMIT
    ? text
    : `${text.slice(0, EVENT_TEXT_LIMIT)}… [cut: ${text.length - EVENT_TEXT_LIMIT} more characters]`;
}

/** An event with its long texts cut (a tool call's input, when long, becomes its cut JSON text). */
function cutEvent(event: RunEvent): RunEvent {
  switch (event.type) {
    case 'text':
    case 'thinking':
    case 'stderr':
    case 'raw':
      return { ...event, text: cutText(event.text) };
    case 'tool_result':
      return { ...event, output: cutText(event.output) };
    case 'result':
      return { ...event, text: event.text === null ? null : cutText(event.text) };
    case 'tool_use': {
      const input = JSON.stringify(event.input) ?? '';
      return input.length <= EVENT_TEXT_LIMIT ? event : { ...event, input: cutText(input) };
    }
    case 'session':
      return event;
  }
}

/**
 * A progress message as frames the coordinator takes: as it is when it fits; otherwise its events
 * with their long texts cut, in as many messages as it takes (a frame over the socket's limit would
 * drop the connection, and the events with it).
 */
export function fitProgress(message: ProgressMessage): ProgressMessage[] {
  const base = utf8Bytes(JSON.stringify({ ...message, events: [] }));
  if (message.events.length <= MAX_EVENTS && base + utf8Bytes(JSON.stringify(message.events)) <= FRAME_BUDGET) return [message];
  const parts: ProgressMessage[] = [];
  let events: RunEvent[] = [];
  let bytes = base;
  for (const event of message.events.map(cutEvent)) {
    const size = utf8Bytes(JSON.stringify(event)) + 1;
    if (events.length > 0 && (bytes + size > FRAME_BUDGET || events.length >= MAX_EVENTS)) {
      parts.push({ ...message, events });
      events = [];
      bytes = base;
    }
    events.push(event);
    bytes += size;
  }
  if (events.length > 0) parts.push({ ...message, events });
  return parts;
}

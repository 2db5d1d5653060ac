import { describe, expect, it } from 'vitest';
import { deliverable, fitProgress, fitResult } from '../../src/agentd/result-fit';
import {
  daemonFrame,
  MAX_AGENT_MESSAGE_BYTES,
  MAX_RESULT_DIFF_CHARS,
  MAX_RESULT_OUTPUT_CHARS,
  parseDaemonMessage,
  type FailMessage,
  type ProgressMessage,
  type ResultMessage,
} from '../../src/shared/agent-protocol';

/**
 * A job's end as an agent daemon sends it: within the protocol's limits (its schema, and the socket's
 * frame limit), cut to fit and saying so, or its failure with one plain reason. Sent as it came, a result
 * over the limits was refused (or dropped the connection) each time it was sent, until the job's lease ran
 * out and the task ran again.
 */
const LEASE = 'a'.repeat(32);
const place = { host: 'box', path: '/srv/repo', diffWhole: true };

function result(patch: Partial<ResultMessage> = {}): ResultMessage {
  return {
    type: 'ticket.result',
    lease_id: LEASE,
    exit_code: 0,
    output: 'Finished.',
    cost_usd: 0.5,
    tokens_in: 10,
    tokens_out: 20,
    artifacts: [],
    diff: null,
    branch: null,
    duration_ms: 1000,
    work: { agent: false, commits: [], commit_count: 0, changed: true, wrote_files: false, shared_with: [], wg_calls: {} },
    ...patch,
  };
}

/** One file's diff: its header and `lines` added lines of `width` characters of `fill`. */
function fileDiff(name: string, lines: number, width = 99, fill = 'a'): string {
  const body = `+${fill.repeat(width)}\n`.repeat(lines);
  return `diff --git a/${name} b/${name}\nnew file mode 100644\n--- /dev/null\n+++ b/${name}\n@@ -0,0 +1,${lines} @@\n${body}`;
}

const frameBytes = (message: unknown) => Buffer.byteLength(JSON.stringify(message));

describe("a job's result cut to fit", () => {
  it('fits as it is: sent unchanged, nothing said', () => {
    const small = result({ diff: fileDiff('a.txt', 10) });
    expect(fitResult(small, place)).toEqual({ message: small, notes: [] });
  });

  it('a diff over what a result carries is cut after the last whole file that fits, said on its first line and in the output', () => {
    const diff = ['one', 'two', 'three', 'four', 'five'].map((name) => fileDiff(`${name}.txt`, 10_000)).join('');
    expect(diff.length).toBeGreaterThan(MAX_RESULT_DIFF_CHARS);
    const { message, notes } = fitResult(result({ diff, branch: 'feature' }), place);
    const kept = message.diff ?? '';
    expect(kept.length).toBeLessThanOrEqual(MAX_RESULT_DIFF_CHARS);
    const note = 'Diff cut at 2.9 MB of 4.8 MB (whole files only); the full change is in /srv/repo on agent daemon box (branch feature).';
    expect(notes).toEqual([note]);
    expect(kept.split('\n')[0]).toBe(`# ${note}`);
    expect(kept.slice(kept.indexOf('\n') + 1)).toBe(['one', 'two', 'three'].map((name) => fileDiff(`${name}.txt`, 10_000)).join(''));
    expect(message.output).toBe(`Finished.\n\n${note}`);
    expect(daemonFrame(message).ok).toBe(true);
  });

  it('a single file over what a result carries is left out, saying so and where it is', () => {
    const { message, notes } = fitResult(result({ diff: fileDiff('big.txt', 35_000) }), place);
    expect(message.diff).toBeNull();
    expect(notes).toEqual([
      'Diff left out: it is 3.4 MB, more than a result carries; the full change is in /srv/repo on agent daemon box.',
    ]);
    expect(message.output).toBe(`Finished.\n\n${notes[0]}`);
  });

  it('a diff read only in part (longer than the daemon reads) is cut before its partial last file, and its size said as a floor', () => {
    const diff = fileDiff('one.txt', 100) + fileDiff('two.txt', 100).slice(0, 500);
    const { message, notes } = fitResult(result({ diff }), { ...place, diffWhole: false });
    expect(notes[0]).toMatch(/^Diff cut at 0 MB of more than 0 MB \(whole files only\)/);
    expect(message.diff?.endsWith(fileDiff('one.txt', 100))).toBe(true);
  });

  it('a diff under the characters allowed whose frame is over the socket limit (escaped as JSON) is cut to the frame', () => {
    // A quote is two bytes in JSON, a control character six: 3 MiB of these is far over 4 MiB.
    const diff = ['one', 'two', 'three', 'four'].map((name) => fileDiff(`${name}.txt`, 7000, 49, '"\u0001')).join('');
    expect(diff.length).toBeLessThanOrEqual(MAX_RESULT_DIFF_CHARS);
    expect(frameBytes(result({ diff }))).toBeGreaterThan(MAX_AGENT_MESSAGE_BYTES);
    const { message, notes } = fitResult(result({ diff }), place);
    expect(frameBytes(message)).toBeLessThanOrEqual(MAX_AGENT_MESSAGE_BYTES);
    expect(notes[0]).toMatch(/^Diff cut at \d+(\.\d)? MB of 2\.7 MB/);
    expect(message.diff?.match(/^diff --git /gm)?.length).toBeGreaterThanOrEqual(1);
  });

  it('an answer over what a result carries keeps its end, and says so with the diff note after it', () => {
    const output = `${'s'.repeat(100)}${'x'.repeat(300_000)}`;
    const { message, notes } = fitResult(result({ output, diff: fileDiff('big.txt', 35_000) }), place);
    expect(message.output.length).toBeLessThanOrEqual(MAX_RESULT_OUTPUT_CHARS);
    expect(message.output).toMatch(/^…x+\n\nOutput cut to its last \d+ characters \(of 300100\)\.\nDiff left out: it is 3\.4 MB/);
    expect(notes).toHaveLength(2);
    expect(daemonFrame(message).ok).toBe(true);
  });
});

describe("a job's end the coordinator would still refuse", () => {
  it('a result is sent as the job failure, with one plain reason (never zod words)', () => {
    const bad = result({ artifacts: [''] });
    const { end, notes } = deliverable(bad, place);
    expect(end).toMatchObject({
      type: 'ticket.fail',
      lease_id: LEASE,
      kind: 'error',
      reason: 'its result could not be sent (artifacts.0: is empty); what it did is in /srv/repo on agent daemon box',
      cost_usd: 0.5,
      duration_ms: 1000,
    });
    expect(notes).toEqual([(end as FailMessage).reason]);
    expect(daemonFrame(end).ok).toBe(true);
  });

  it('a failure with a reason too long is cut; one with none gets one', () => {
    const fail: FailMessage = {
      type: 'ticket.fail',
      lease_id: LEASE,
      kind: 'exit',
      reason: 'e'.repeat(10_000),
      exit_code: 1,
      cost_usd: null,
      tokens_in: null,
      tokens_out: null,
      retry_after: null,
      duration_ms: 5,
    };
    const cut = deliverable(fail, place).end as FailMessage;
    expect(cut.reason).toHaveLength(4000);
    expect(cut.reason.endsWith('e…')).toBe(true);
    expect((deliverable({ ...fail, reason: ' ' }, place).end as FailMessage).reason).toBe('the job failed (it gave no reason)');
  });
});

describe('progress too large for one frame', () => {
  const progress = (events: ProgressMessage['events']): ProgressMessage => ({ type: 'ticket.progress', lease_id: LEASE, events });

  it('goes as it is when it fits', () => {
    const small = progress([{ type: 'text', text: 'hello' }]);
    expect(fitProgress(small)).toEqual([small]);
  });

  it('goes as several frames, each within the limit, long texts cut, no event lost', () => {
    const events: ProgressMessage['events'] = [
      { type: 'raw', text: 'r'.repeat(5_000_000) },
      ...Array.from({ length: 30 }, (_, i) => ({
        type: 'tool_result' as const,
        tool_use_id: `t${i}`,
        output: 'o'.repeat(200_000),
        is_error: false,
      })),
      { type: 'tool_use', id: 'w', name: 'Write', input: { file_path: '/x', content: 'c'.repeat(1_000_000) } },
    ];
    const parts = fitProgress(progress(events));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(frameBytes(part)).toBeLessThanOrEqual(MAX_AGENT_MESSAGE_BYTES);
      expect(parseDaemonMessage(JSON.stringify(part)).ok).toBe(true);
    }
    const sent = parts.flatMap((part) => part.events);
    expect(sent.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(sent[0]).toEqual({ type: 'raw', text: `${'r'.repeat(262_144)}… [cut: ${5_000_000 - 262_144} more characters]` });
    expect(sent[1]).toEqual(events[1]);
    expect(typeof (sent.at(-1) as { input: unknown }).input).toBe('string');
  });
});

describe('what the coordinator says of a message it refuses', () => {
  it('is said in plain words, never zod words, naming the field', () => {
    const tooBig = parseDaemonMessage(JSON.stringify(result({ diff: 'd'.repeat(MAX_RESULT_DIFF_CHARS + 1) })));
    expect(tooBig).toMatchObject({ ok: false, error: 'diff: must be at most 3145728 characters long' });
    expect(tooBig.ok ? null : tooBig.about).toEqual({ type: 'ticket.result', lease_id: LEASE, request_id: null });
    const capacity = parseDaemonMessage(JSON.stringify({ type: 'agent.capabilities', capacity: 0 }));
    expect(capacity).toMatchObject({ ok: false, error: 'capacity: must be at least 1' });
    const lease = parseDaemonMessage(JSON.stringify({ type: 'ticket.claim', lease_id: 'x' }));
    expect(lease).toMatchObject({ ok: false, error: 'lease_id: lease ids are 32 hex digits', about: { lease_id: null } });
  });

  it('a frame over the socket limit is refused before it is sent, in plain words', () => {
    // Each control character is six bytes as JSON.
    const frame = daemonFrame(result({ output: '\u0001'.repeat(200_000), diff: 'd'.repeat(3_100_000) }));
    expect(frame).toMatchObject({ ok: false, error: 'the message is larger than the connection carries (4.1 MB, at most 4 MB)' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { bash, startFakeAnthropic, text, thinking, type FakeAnthropic } from '../fixtures/fake-anthropic';

/** The fake's own contract, for tests that drive it without the CLI. */
let fake: FakeAnthropic | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const conversationBody = (assistantTurns: number, stream: boolean) => ({
  model: 'claude-test',
  max_tokens: 100,
  stream,
  tools: [{ name: 'Bash', input_schema: {} }],
  messages: [
    { role: 'user', content: 'go' },
    ...Array.from({ length: assistantTurns }, () => [
      { role: 'assistant', content: 'x' },
      { role: 'user', content: 'y' },
    ]).flat(),
  ],
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${fake?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function sseEvents(raw: string): Array<{ event: string; data: Record<string, unknown> }> {
  return raw
    .trim()
    .split('\n\n')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: eventLine?.replace('event: ', '') ?? '',
        data: JSON.parse(dataLine?.replace('data: ', '') ?? '{}') as Record<string, unknown>,
      };
    });
}

describe('fake Anthropic API', () => {
  it('streams the scripted turn chosen by the number of assistant messages', async () => {
    fake = await startFakeAnthropic([[text('first')], [thinking('hmm'), bash('ls', 'List')]]);
    const events = sseEvents(await (await post('/v1/messages', conversationBody(1, true))).text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[8]?.data).toMatchObject({ index: 1, content_block: { type: 'tool_use', name: 'Bash', id: 'toolu_fake_1_1', input: {} } });
    const json = events
      .filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ command: 'ls', description: 'List' });
    expect(events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } });
    expect(fake.conversation().map((r) => r.turn)).toEqual([1]);
  });

  it('answers non-streaming calls with a JSON message, side calls with the side reply, and other paths sensibly', async () => {
    fake = await startFakeAnthropic([[text('scripted')]], { sideReply: 'A title' });
    expect(await (await post('/v1/messages', conversationBody(0, false))).json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'scripted' }],
      stop_reason: 'end_turn',
    });
    const side = await post('/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'title?' }] });
    expect(await side.json()).toMatchObject({ content: [{ type: 'text', text: 'A title' }] });
    expect(await (await post('/v1/messages/count_tokens', { messages: [] })).json()).toEqual({ input_tokens: 100 });
    expect((await fetch(`${fake.url}/v1/models`)).status).toBe(404);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/messages', '/v1/messages/count_tokens', '/v1/models']);
    expect(fake.conversation()).toHaveLength(1);
  });

  it('fails the turns it is told to fail', async () => {
    fake = await startFakeAnthropic([[text('never')]], { failTurns: { 0: { status: 529, message: 'overloaded' } } });
    const response = await post('/v1/messages', conversationBody(0, true));
    expect(response.status).toBe(529);
    expect(await response.json()).toMatchObject({ type: 'error', error: { message: 'overloaded' } });
  });
});

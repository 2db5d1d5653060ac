/** One normalized event of an agent's output, whatever the executor printed. */
export type RunEvent =
  | { type: 'session'; session_id: string; model: string | null }
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; output: string; is_error: boolean }
  | {
      type: 'result';
      is_error: boolean;
      text: string | null;
      cost_usd: number | null;
      tokens_in: number | null;
      tokens_out: number | null;
      turns: number | null;
    }
  | { type: 'stderr'; text: string }
  | { type: 'raw'; text: string };

export interface IndexedRunEvent {
  seq: number;
  at: string;
  event: RunEvent;
}

export interface RunEventPage {
  agent_id: string;
  total: number;
  offset: number;
  events: IndexedRunEvent[];
}

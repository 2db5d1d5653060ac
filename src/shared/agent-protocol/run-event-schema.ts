import { z } from 'zod';
import type { RunEvent } from '../run-event';

/** A normalized run event (src/shared/run-event.ts) as it travels in `ticket.progress`. */
export const runEventSchema: z.ZodType<RunEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), session_id: z.string().max(200), model: z.string().max(200).nullable() }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('thinking'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string().max(200), name: z.string().max(200), input: z.unknown() }),
  z.object({ type: z.literal('tool_result'), tool_use_id: z.string().max(200), output: z.string(), is_error: z.boolean() }),
  z.object({
    type: z.literal('result'),
    is_error: z.boolean(),
    text: z.string().nullable(),
    cost_usd: z.number().min(0).nullable(),
    tokens_in: z.number().int().min(0).nullable(),
    tokens_out: z.number().int().min(0).nullable(),
    turns: z.number().int().min(0).nullable(),
  }),
  z.object({ type: z.literal('stderr'), text: z.string() }),
  z.object({ type: z.literal('raw'), text: z.string() }),
]) as z.ZodType<RunEvent>;

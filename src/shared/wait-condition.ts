/**
 * Upstream's `wg wait` conditions (its `WaitCondition`, `WaitSpec`), in upstream's own JSON shape
 * (kept in a task's `extra.wait_condition`, so graph.jsonl carries them both ways), and the words the
 * window and `wg show` use for them.
 */
import { z } from 'zod';
import { builtOnce } from './built-once';
import type { JsonValue } from './task';

/** The statuses `wg wait --until task:ID=STATUS` accepts (upstream's `parse_condition`). */
export const WAITABLE_STATUSES = ['open', 'in-progress', 'waiting', 'done', 'blocked', 'failed', 'abandoned'] as const;

/** Built when a task's condition is first read (see builtOnce). */
const spec = builtOnce(() => {
  const condition = z.discriminatedUnion('type', [
    z.object({ type: z.literal('task-status'), task_id: z.string(), status: z.enum(WAITABLE_STATUSES) }),
    z.object({ type: z.literal('timer'), resume_after: z.string() }),
    z.object({ type: z.literal('human-input') }),
    z.object({ type: z.literal('message') }),
    // mtime_ms_at_wait is this app's: upstream keeps whole seconds, which misses a change in the same second.
    z.object({
      type: z.literal('file-changed'),
      path: z.string(),
      mtime_at_wait: z.number().nonnegative(),
      mtime_ms_at_wait: z.number().nonnegative().optional(),
    }),
  ]);
  return z.object({ mode: z.enum(['all', 'any']), conditions: z.array(condition) });
});

export type WaitSpec = z.infer<Awaited<ReturnType<typeof spec>>>;
export type WaitCondition = WaitSpec['conditions'][number];

/** The task's wait condition, or null when it has none (or one this version cannot read). */
export function readWaitSpec(extra: Readonly<Record<string, JsonValue>> | undefined): WaitSpec | null {
  const parsed = spec().safeParse(extra?.wait_condition);
  return parsed.success ? parsed.data : null;
}

function describeCondition(c: WaitCondition): string {
  switch (c.type) {
    case 'task-status':
      return `'${c.task_id}' is ${c.status}`;
    case 'timer': {
      const at = Date.parse(c.resume_after);
      return Number.isNaN(at) ? 'its timer ends' : `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    }
    case 'human-input':
      return 'a person sends it a message';
    case 'message':
      return 'a message arrives';
    case 'file-changed':
      return `${c.path} changes`;
  }
}

/** In words: "until 'dep-a' is done and a message arrives". */
export function describeWaitSpec(waitSpec: WaitSpec): string {
  const parts = waitSpec.conditions.map(describeCondition);
  return `until ${parts.join(waitSpec.mode === 'all' ? ' and ' : ' or ')}`;
}

import { z } from 'zod';

/**
 * The protocol between the coordinator and its spawner process, one JSON object a line each way,
 * defined once here and validated on both ends. The coordinator asks for a run to start; the
 * spawner answers with its pid (or why it could not start), and tells when it ended.
 */
export const startRequest = z.object({
  type: z.literal('start'),
  /** Echoed in the answers: which request and which run. */
  ref: z.string().min(1),
  dir: z.string().min(1),
  runId: z.string().min(1),
  command: z.string().min(1),
  args: z.array(z.string()),
  /** What this run adds to the base environment (its run id first, the WG_* contract, the executor's extras). */
  env: z.record(z.string(), z.string()),
  cwd: z.string().min(1),
  /** Written to the run folder and given as stdin (the prompt), or none. */
  stdin: z.string().nullable(),
});
export type StartRequest = z.infer<typeof startRequest>;

/**
 * The environment every run starts from (the coordinator's own, without any agent identity), sent
 * before the first start and again only when it changes: each start then carries only what its run
 * adds. The whole environment with every start cost the coordinator ~20 µs a run to build and
 * serialize (3 KB here, more in a typical shell), and the spawner as much to check.
 */
export const baseRequest = z.object({
  type: z.literal('base'),
  env: z.record(z.string(), z.string()),
});
export type BaseRequest = z.infer<typeof baseRequest>;

export const spawnerRequest = z.discriminatedUnion('type', [startRequest, baseRequest]);

export const spawnerReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), ref: z.string(), pid: z.number().int().positive(), cgroup: z.string().nullable() }),
  z.object({ type: z.literal('failed'), ref: z.string(), reason: z.string() }),
  z.object({ type: z.literal('ended'), ref: z.string(), status: z.number().int().nullable(), signal: z.string().nullable() }),
  /** The spawner can no longer see the run's end (its fork server's pipe closed); the run folder will show it. */
  z.object({ type: z.literal('lost'), ref: z.string() }),
]);
export type SpawnerReply = z.infer<typeof spawnerReply>;

/** One line of the protocol, parsed and checked; null for anything else (which is ignored, never trusted). */
export function parseLine<T>(schema: z.ZodType<T>, line: string): T | null {
  try {
    const result = schema.safeParse(JSON.parse(line));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

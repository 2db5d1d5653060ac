import { sql } from 'kysely';
import type { MessageMark } from '../graph/analysis/ascii-tree';
import type { StoreCore } from '../store/store-core';

const PEOPLE = new Set(['tui', 'user', 'coordinator']);

interface Row {
  task_id: string;
  seq: number;
  sender: string;
  agent_id: string | null;
}

/** The mark of each of `tasks` that has messages; `assigned`: who works on it (its messages count as outgoing). */
export async function messageMarks(
  core: StoreCore,
  tasks: ReadonlyArray<{ id: string; assigned: string | null }>,
): Promise<Map<string, MessageMark>> {
  const marks = new Map<string, MessageMark>();
  if (tasks.length === 0) return marks;
  const ids = tasks.map((t) => t.id);
  const rows: Row[] = await core.all(
    core.build
      .selectFrom('messages')
      .select(['task_id', 'seq', 'sender', 'agent_id'])
      .where(core.fn.inList(sql.ref('task_id'), ids))
      .orderBy('task_id')
      .orderBy('seq'),
  );
  const seen = new Map(
    (
      await core.all(
        core.build
          .selectFrom('message_cursors')
          .select(['task_id', 'cursor'])
          .where('reader', '=', 'tui')
          .where(core.fn.inList(sql.ref('task_id'), ids)),
      )
    ).map((r) => [r.task_id, r.cursor]),
  );
  const assigned = new Map(tasks.map((t) => [t.id, t.assigned]));
  const byTask = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byTask.get(row.task_id);
    if (list) list.push(row);
    else byTask.set(row.task_id, [row]);
  }
  for (const [taskId, messages] of byTask) {
    const agent = assigned.get(taskId) ?? null;
    let incoming = 0;
    let outgoing = 0;
    /** The last message from anyone but people, and a person's answer after it (0: none). */
    let lastFromOthers = 0;
    let answered = 0;
    for (const m of messages) {
      if (agent !== null && (m.sender === agent || m.agent_id === agent)) outgoing++;
      else incoming++;
      if (!PEOPLE.has(m.sender)) {
        lastFromOthers = m.seq;
        answered = 0;
      } else if (lastFromOthers > 0) answered = m.seq;
    }
    // Nobody but people wrote: no conversation to mark, upstream's plain ✉.
    let icon: MessageMark['icon'] = '✉';
    if (lastFromOthers > 0 && answered > 0) icon = '✓';
    else if (lastFromOthers > 0 && (seen.get(taskId) ?? 0) >= lastFromOthers) icon = '↩';
    marks.set(taskId, { incoming, outgoing, icon });
  }
  return marks;
}

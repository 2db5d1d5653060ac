import { useEffect, useState } from 'react';
import type { RunEvent } from '../../shared/run-event';
import { useClient, useEvents } from '../api/backend-context';

/** One thing the coordinator agent said or did while it works on the message, as the person reads it. */
export interface ChatStep {
  seq: number;
  kind: 'said' | 'ran';
  text: string;
}

const PAGE = 200;

/** A step of the agent's output worth showing: what it says, and each command it runs (by its own description). */
function stepOf(seq: number, event: RunEvent): ChatStep | null {
  if (event.type === 'text' && event.text.trim()) return { seq, kind: 'said', text: event.text.trim() };
  if (event.type !== 'tool_use') return null;
  const input = (event.input ?? {}) as { command?: unknown; description?: unknown };
  const what = typeof input.description === 'string' ? input.description : typeof input.command === 'string' ? input.command : event.name;
  return { seq, kind: 'ran', text: what };
}

/**
 * The steps of the coordinator agent's run while it answers, as its output grows: the run's own output events (the
 * same stream Run output follows) say how far it is, and only the events not read yet are fetched. Claude Code's
 * stream gives whole messages, so a step appears when the agent finishes saying it, not word by word.
 */
export function useChatSteps(agentId: string | null): ChatStep[] {
  const client = useClient();
  const events = useEvents();
  const [steps, setSteps] = useState<ChatStep[]>([]);
  useEffect(() => {
    setSteps([]);
    if (!agentId) return;
    let read = 0;
    let reading = false;
    let more = false;
    let alive = true;
    const readOn = async () => {
      if (reading) {
        more = true;
        return;
      }
      reading = true;
      try {
        do {
          more = false;
          const page = await client['run:events']({ agent: agentId, offset: read, limit: PAGE });
          if (!alive) return;
          read = page.offset + page.events.length;
          const found = page.events.flatMap((e) => stepOf(e.seq, e.event) ?? []);
          if (found.length > 0) setSteps((now) => [...now, ...found]);
          if (read < page.total) more = true;
        } while (more && alive);
      } catch {
        // The run's output is a view of progress only: the answer itself comes with chat:send.
      } finally {
        reading = false;
      }
    };
    const unsubscribe = events.watchOutput(agentId, () => void readOn());
    void readOn();
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [client, events, agentId]);
  return steps;
}

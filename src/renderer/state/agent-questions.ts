import { useEffect, useMemo, useState } from 'react';
import type { Task } from '../../shared/task';
import { useBackend } from '../api/backend-context';

/** Change events come in bursts while agents work: the running tasks' messages are read at most this often. */
const THROTTLE_MS = 1000;

/**
 * The questions running agents put to the person (`wg msg send` from the run), by task id: a run waiting on an answer
 * is work that needs the person, though it shows nowhere but in its inspector's messages otherwise. What the agent
 * asked and nobody answered is its task's last message, while no person has read it (the store's openQuestions):
 * one request for every running task, when they change and after each change to the graph (a message sent or read
 * makes a revision).
 */
export function useAgentQuestions(tasks: ReadonlyMap<string, Task>): ReadonlyMap<string, string> {
  const { client, events } = useBackend();
  const runningKey = useMemo(() => {
    const ids: string[] = [];
    for (const task of tasks.values()) if (task.status === 'in-progress') ids.push(task.id);
    return ids.sort().join('\n');
  }, [tasks]);
  const [questions, setQuestions] = useState<ReadonlyMap<string, string>>(NONE);

  useEffect(() => {
    const running = runningKey !== '';
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const read = async () => {
      last = Date.now();
      // A failed read leaves what was shown: the next change reads again.
      const open = await client['msg:questions']({}).catch(() => null);
      if (!alive || open === null) return;
      const next = new Map(open.map((message) => [message.task_id, message.body]));
      setQuestions((previous) => (sameMap(previous, next) ? previous : next));
    };
    if (!running) setQuestions(NONE);
    else void read();
    // Throttled, not debounced: agents logging many times a second still have their questions seen within a second.
    const unsubscribe = events.onChange(() => {
      if (timer || !running) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          void read();
        },
        Math.max(0, last + THROTTLE_MS - Date.now()),
      );
    });
    return () => {
      alive = false;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [client, events, runningKey]);

  return questions;
}

const NONE: ReadonlyMap<string, string> = new Map();

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

import { useEffect, useMemo, useState } from 'react';
import type { Message } from '../../shared/message';
import type { Task } from '../../shared/task';
import { useBackend } from '../api/backend-context';

/** Change events come in bursts while agents work: the running tasks' messages are read at most this often. */
const THROTTLE_MS = 1000;

/**
 * What the agent asked and nobody has answered: its latest message, when it is the task's last word (no person wrote
 * after it) and no person has read it (`wg msg read` as the person marks it read). Null when there is none.
 */
function openQuestion(messages: readonly Message[]): Message | null {
  let open: Message | null = null;
  for (const message of messages) {
    if (message.agent_id === undefined) open = null;
    else open = message.status === 'sent' ? message : null;
  }
  return open;
}

/**
 * The questions running agents put to the person (`wg msg send` from the run), by task id: a run waiting on an answer
 * is work that needs the person, though it shows nowhere but in its inspector's messages otherwise. Read for the
 * running tasks only, when they change and after each change to the graph (a message sent or read makes a revision).
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
    const running = runningKey === '' ? [] : runningKey.split('\n');
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const read = async () => {
      last = Date.now();
      const answers = await Promise.allSettled(running.map((task) => client['msg:list']({ task })));
      if (!alive) return;
      const next = new Map<string, string>();
      answers.forEach((answer, i) => {
        const question = answer.status === 'fulfilled' ? openQuestion(answer.value) : null;
        if (question) next.set(running[i] as string, question.body);
      });
      setQuestions((previous) => (sameMap(previous, next) ? previous : next));
    };
    if (running.length === 0) setQuestions(NONE);
    else void read();
    // Throttled, not debounced: agents logging many times a second still have their questions seen within a second.
    const unsubscribe = events.onChange(() => {
      if (timer || running.length === 0) return;
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

import { formatDuration } from '../components/format';
import { useClock } from '../hooks/use-clock';
import type { PendingMessage } from './use-chat';
import { useChatSteps } from './use-chat-steps';

/** The message on its way, and the coordinator at work on it: for how long, and each step it has taken so far. */
export function ChatThinking({ pending, run }: { pending: PendingMessage; run: string | null }) {
  const now = useClock(1000);
  const steps = useChatSteps(run);
  return (
    <>
      <li className="chat-message" data-role="user">
        <div className="chat-text">{pending.text}</div>
      </li>
      <li className="chat-message chat-thinking" data-role="coordinator" aria-live="polite">
        <div className="chat-thinking-line" role="status">
          <span className="chat-dots" aria-hidden="true" />
          The coordinator is thinking… {formatDuration((now - pending.sentAt) / 1000)}
        </div>
        {steps.length > 0 && (
          <ol className="chat-steps" aria-label="What the coordinator has done so far">
            {steps.map((step) => (
              <li key={step.seq} data-kind={step.kind}>
                {step.kind === 'ran' ? `▸ ${step.text}` : step.text}
              </li>
            ))}
          </ol>
        )}
      </li>
    </>
  );
}

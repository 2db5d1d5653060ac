import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../../shared/chat';
import { RelativeTime } from '../components/RelativeTime';
import { ChatBatchLinks } from './ChatBatchLinks';
import { ChatComposer } from './ChatComposer';
import { ChatThinking } from './ChatThinking';
import { useChat } from './use-chat';
import './chat.css';

/**
 * The coordinator chat: what was said so far (upstream's .wg/chat files, chat:history), the message on its way with
 * the coordinator's steps, each answer's tasks with their Undo, and the box to write in. The same beside the graph
 * (`placement: 'panel'`, with its close button) and as a page of its own.
 */
export function ChatPanel({ placement, onClose, autoFocus }: { placement: 'panel' | 'page'; onClose?: () => void; autoFocus?: boolean }) {
  const chat = useChat();
  const end = useRef<HTMLLIElement | null>(null);
  const count = chat.history.length;
  const steps = chat.pending !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolled to the newest whenever a message is added or one goes out
  useEffect(() => {
    // A statement, not the arrow's value: Chromium's scrollIntoView may return a promise, which React would take for a clean-up.
    end.current?.scrollIntoView({ block: 'end' });
  }, [count, steps]);
  return (
    <section className={`chat chat-${placement}`} aria-label="Coordinator chat">
      <header className="chat-head">
        <h2>Coordinator chat</h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label="Close the chat (C)" title="Close the chat (C)" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      {chat.unavailable && (
        <p className="chat-unavailable" role="status">
          {chat.unavailable}
        </p>
      )}
      <ol className="chat-log" aria-label="Messages">
        {count === 0 && !chat.pending && (
          <li className="chat-empty muted">
            Ask the coordinator to plan a goal (“plan: a login page”) or about the work (“what failed and why?”). It acts on the graph
            through wg; what it makes or changes is marked there, with one Undo.
          </li>
        )}
        {chat.history.map((message) => (
          <ChatLine key={`${message.role === 'user' ? 'in' : 'out'}-${message.id}`} message={message} />
        ))}
        {chat.pending && <ChatThinking pending={chat.pending} run={chat.workingRun} />}
        <li ref={end} className="chat-end" aria-hidden="true" />
      </ol>
      {chat.error && (
        <p className="error-alert" role="alert">
          {chat.error}
        </p>
      )}
      {chat.historyError && <p className="error-alert">Cannot read the chat: {chat.historyError}</p>}
      <ChatComposer
        busy={chat.pending !== null}
        disabled={chat.unavailable !== null}
        onSend={chat.send}
        autoFocus={placement === 'page' || autoFocus}
      />
    </section>
  );
}

function ChatLine({ message }: { message: ChatMessage }) {
  const chat = useChat();
  const batch = message.role === 'user' ? undefined : chat.batches.get(message.request_id);
  return (
    <li className="chat-message" data-role={message.role}>
      <div className="chat-meta small muted">
        {message.role === 'user' ? (message.user ?? 'you') : message.role === 'coordinator' ? 'coordinator' : 'no answer'} ·{' '}
        <RelativeTime iso={message.timestamp} />
      </div>
      <div className="chat-text">{message.content}</div>
      {batch && (
        <ChatBatchLinks batch={batch} undone={chat.undone.has(message.request_id)} onUndo={() => void chat.undo(message.request_id)} />
      )}
    </li>
  );
}

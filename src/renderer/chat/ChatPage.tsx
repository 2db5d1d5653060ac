import { ChatPanel } from './ChatPanel';

/** The coordinator chat as a page of its own: the whole window's room for a long conversation. */
export function ChatPage() {
  return (
    <div className="page chat-page-wrap">
      <ChatPanel placement="page" />
    </div>
  );
}

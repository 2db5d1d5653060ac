import { useState, type KeyboardEvent } from 'react';

/** The box a person writes in: Enter sends, Shift+Enter starts a new line. Kept while the answer is on its way. */
export function ChatComposer({
  busy,
  disabled,
  onSend,
  autoFocus,
}: {
  busy: boolean;
  disabled: boolean;
  onSend: (text: string) => Promise<boolean>;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState('');
  const blocked = busy || disabled;
  const send = async () => {
    if (blocked || !text.trim()) return;
    const written = text;
    setText('');
    // A refusal gives the text back, so nothing written is lost.
    if (!(await onSend(written))) setText((now) => (now === '' ? written : now));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };
  return (
    <form
      className="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <textarea
        aria-label="Message to the coordinator"
        placeholder={
          disabled ? 'The coordinator is not running' : 'Describe a goal, or ask about the work (Enter sends, Shift+Enter new line)'
        }
        value={text}
        rows={3}
        disabled={disabled}
        // biome-ignore lint/a11y/noAutofocus: the chat page and the panel opened by its key are for writing at once.
        autoFocus={autoFocus}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={blocked || !text.trim()}>
        {busy ? 'Waiting…' : 'Send'}
      </button>
    </form>
  );
}

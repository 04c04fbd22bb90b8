import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatsStore } from '../../stores/chatsStore';
import { useChatStateSender } from './useChatStateSender';

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ name }: { name: string }) {
  const [body, setBody] = useState('');
  const chatState = useChatStateSender();
  const send = async () => {
    if (body.trim() === '') return;
    const text = body;
    setBody('');
    chatState.onSent();
    const isSent = await chatsStore.getState().send(text);
    if (!isSent) setBody((current) => (current === '' ? text : current));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  return (
    <form className="composer" aria-label="Compose" onSubmit={onSubmit}>
      <textarea aria-label={`Message to ${name}`} placeholder={`Message ${name}`} rows={2} value={body}
        onChange={(e) => { setBody(e.target.value); chatState.onInput(); }} onKeyDown={onKeyDown} />
      <button type="submit" className="primary" disabled={body.trim() === ''}>Send</button>
    </form>
  );
}

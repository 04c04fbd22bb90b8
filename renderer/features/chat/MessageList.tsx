import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../../../shared/model/session';
import { useChats } from '../../stores/chatsStore';

const NONE: ChatMessage[] = [];

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The messages with one contact, oldest first; keeps the newest in view. */
export function MessageList({ jid }: { jid: string }) {
  const messages = useChats((s) => s.byPeer[jid] ?? NONE);
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length]);
  if (messages.length === 0) return <p className="empty messages-empty">No messages yet. Say hello!</p>;
  return (
    <ol className="messages" role="log" aria-label="Messages" ref={listRef}>
      {messages.map((m) => (
        <li key={m.id} className={`message message--${m.direction}`}>
          <span className="visually-hidden">{m.direction === 'incoming' ? 'They said' : 'You said'}: </span>
          <p className="message-body">{m.body}</p>
          <time className="message-time" dateTime={new Date(m.at).toISOString()}>{timeOf(m.at)}</time>
        </li>
      ))}
    </ol>
  );
}

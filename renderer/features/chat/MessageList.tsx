import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../../../shared/model/session';
import { DeliveryMark } from './DeliveryMark';
import { splitLinks } from './messageLinks';
import { useChats } from '../../stores/chatsStore';
import { useLoadOlderOnScroll } from './useLoadOlderOnScroll';

const NONE: ChatMessage[] = [];

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A body with its http(s) links clickable: they open in the browser (Electron sends them to the system's). */
function Body({ text }: { text: string }) {
  return (
    <p className="message-body">
      {splitLinks(text).map((part, index) => (part.kind === 'link'
        ? <a key={index} href={part.url} target="_blank" rel="noopener noreferrer">{part.text}</a>
        : <span key={index}>{part.text}</span>))}
    </p>
  );
}

/** The messages with one contact, oldest first; keeps the newest in view; scrolled to the top, loads older ones. */
export function MessageList({ jid }: { jid: string }) {
  const messages = useChats((s) => s.byPeer[jid] ?? NONE);
  const listRef = useRef<HTMLOListElement>(null);
  const onScroll = useLoadOlderOnScroll(listRef, jid);
  const newestId = messages[messages.length - 1]?.id;
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newestId]);
  if (messages.length === 0) return <p className="empty messages-empty">No messages yet. Say hello!</p>;
  return (
    <ol className="messages" role="log" aria-label="Messages" ref={listRef} onScroll={onScroll}>
      {messages.map((m) => (
        <li key={m.id} className={`message message--${m.direction}`}>
          <span className="visually-hidden">{m.direction === 'incoming' ? 'They said' : 'You said'}: </span>
          <Body text={m.body} />
          <time className="message-time" dateTime={new Date(m.at).toISOString()}>{timeOf(m.at)}</time>
          <DeliveryMark message={m} />
        </li>
      ))}
    </ol>
  );
}

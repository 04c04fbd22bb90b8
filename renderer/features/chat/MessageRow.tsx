import type { ChatMessage } from '../../../shared/model/session';
import { DeliveryMark } from './DeliveryMark';
import { splitLinks } from './messageLinks';

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

/** One message of the conversation timeline (Timeline.tsx): who said it, the body with its links, the time. */
export function MessageRow({ message: m }: { message: ChatMessage }) {
  return (
    <li className={`message message--${m.direction}`}>
      <span className="visually-hidden">{m.direction === 'incoming' ? 'They said' : 'You said'}: </span>
      <Body text={m.body} />
      <time className="message-time" dateTime={new Date(m.at).toISOString()}>{timeOf(m.at)}</time>
      <DeliveryMark message={m} />
    </li>
  );
}

import { ErrorText } from '../../components/ErrorText';
import { useChats } from '../../stores/chatsStore';
import { useRoster } from '../../stores/rosterStore';
import { displayName } from '../roster/presence';
import { TransferList } from '../transfers/TransferList';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

/** The open chat: who, their transfers, the messages and the composer. */
export function ChatView() {
  const jid = useChats((s) => s.openJid);
  const name = useRoster((s) => {
    const item = s.items.find((i) => i.jid === jid);
    return item ? displayName(item) : jid;
  });
  const error = useChats((s) => s.errorText);
  if (!jid || !name) {
    return (
      <section className="chat chat--empty" aria-label="Chat">
        <p className="empty">Pick a contact to start chatting.</p>
      </section>
    );
  }
  return (
    <section className="chat" aria-label={`Chat with ${name}`}>
      <ChatHeader jid={jid} name={name} />
      <TransferList peer={jid} />
      <MessageList jid={jid} />
      <ErrorText text={error} />
      <Composer name={name} />
    </section>
  );
}

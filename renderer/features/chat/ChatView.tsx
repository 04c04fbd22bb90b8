import { ErrorText } from '../../components/ErrorText';
import { useChats } from '../../stores/chatsStore';
import { useRoster } from '../../stores/rosterStore';
import { transfersStore, useTransfers } from '../../stores/transfersStore';
import { displayName } from '../roster/presence';
import { useFileDrop } from '../transfers/useFileDrop';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { Timeline } from './Timeline';
import { TypingIndicator } from './TypingIndicator';

/** The open chat: who, the conversation (messages and file cards in one timeline) and the composer. Files dropped on it are sent. */
export function ChatView() {
  const jid = useChats((s) => s.openJid);
  const name = useRoster((s) => {
    const item = s.items.find((i) => i.jid === jid);
    return item ? displayName(item) : jid;
  });
  const error = useChats((s) => s.errorText);
  const sendError = useTransfers((s) => (jid ? (s.sendErrorByPeer[jid] ?? null) : null));
  const answerError = useTransfers((s) => s.errorText);
  const drop = useFileDrop((files) => { if (jid) void transfersStore.getState().sendFiles(jid, files); });
  if (!jid || !name) {
    return (
      <section className="chat chat--empty" aria-label="Chat">
        <p className="empty">Pick a contact to start chatting.</p>
      </section>
    );
  }
  return (
    <section className={`chat${drop.isOver ? ' drop-target--active' : ''}`} aria-label={`Chat with ${name}`}
      data-drop-zone="chat" {...drop.handlers}>
      <ChatHeader jid={jid} name={name} />
      <ErrorText text={sendError} onDismiss={() => transfersStore.getState().dismissSendError(jid)} />
      <Timeline jid={jid} />
      <TypingIndicator jid={jid} name={name} />
      <ErrorText text={error} />
      <ErrorText text={answerError} onDismiss={() => transfersStore.setState({ errorText: null })} />
      <Composer name={name} />
      {drop.isOver && <div className="drop-hint" aria-hidden="true">Drop to send to {name}</div>}
    </section>
  );
}

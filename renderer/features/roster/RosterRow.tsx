import { PresenceDot } from '../../components/PresenceDot';
import { chatsStore, useChats } from '../../stores/chatsStore';
import { useRoster } from '../../stores/rosterStore';
import { selectPendingOffers, transfersStore, useTransfers } from '../../stores/transfersStore';
import { toBareJid } from '../../../shared/model/jid';
import { useFileDrop } from '../transfers/useFileDrop';
import { displayName, presenceOf } from './presence';

/** Files dropped on a contact: open their chat (where the cards show) and send. */
function sendDropped(jid: string, files: File[]): void {
  void chatsStore.getState().open(jid);
  void transfersStore.getState().sendFiles(jid, files);
}

/** One contact: presence dot, name, presence label and status text, unread count and files offered; a drop target for files. */
export function RosterRow({ jid }: { jid: string }) {
  const item = useRoster((s) => s.items.find((i) => i.jid === jid));
  const isOpen = useChats((s) => s.openJid === jid);
  const unread = useChats((s) => s.unread[jid] ?? 0);
  const offered = useTransfers((s) => selectPendingOffers(s).filter((t) => toBareJid(t.peer) === jid).length);
  const drop = useFileDrop((files) => sendDropped(jid, files));
  if (!item) return null;
  const presence = presenceOf(item);
  return (
    <li className={`roster-row${isOpen ? ' roster-row--open' : ''}${drop.isOver ? ' drop-target--active' : ''}`} {...drop.handlers}>
      <button type="button" className="roster-button" aria-current={isOpen ? 'true' : undefined}
        title={item.jid} onClick={() => void chatsStore.getState().open(jid)}>
        <PresenceDot show={presence.show} />
        <span className="roster-text">
          <span className="roster-name">{displayName(item)}</span>
          <span className="roster-status">
            {presence.label}
            {presence.status ? ` — ${presence.status}` : ''}
          </span>
        </span>
        {offered > 0 && <span className="offer-badge" aria-label={`${offered} ${offered === 1 ? 'file' : 'files'} offered`}>↓{offered}</span>}
        {unread > 0 && <span className="unread" aria-label={`${unread} unread`}>{unread}</span>}
      </button>
    </li>
  );
}

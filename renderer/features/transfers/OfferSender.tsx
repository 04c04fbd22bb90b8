import { toBareJid } from '../../../shared/model/jid';
import { useRoster } from '../../stores/rosterStore';
import { displayName } from '../roster/presence';

function safeBare(peer: string): string {
  try { return toBareJid(peer); } catch { return peer; }
}

/** Whether the bare JID is a contact (in the roster and not being removed); an offer from anyone else is a stranger's. */
export function useIsContact(peer: string): boolean {
  const bare = safeBare(peer);
  return useRoster((s) => s.items.some((i) => i.jid === bare && i.subscription !== 'remove'));
}

/** Who offers the file: the contact's name (and the full JID), or the bare JID marked as a stranger. */
export function OfferSender({ peer }: { peer: string }) {
  const bare = safeBare(peer);
  const item = useRoster((s) => s.items.find((i) => i.jid === bare && i.subscription !== 'remove'));
  if (!item) {
    return (
      <>
        <strong>{bare}</strong> <span className="stranger">not in your contacts</span>
      </>
    );
  }
  return <><strong>{displayName(item)}</strong> <span className="offer-jid">({peer})</span></>;
}

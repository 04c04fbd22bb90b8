import { useState } from 'react';
import { PresenceDot } from '../../components/PresenceDot';
import { chatsStore } from '../../stores/chatsStore';
import { rosterStore, useRoster } from '../../stores/rosterStore';
import { presenceOf, type PresenceView } from '../roster/presence';
import { ResourcePicker } from '../transfers/ResourcePicker';
import { SendFileButton } from '../transfers/SendFileButton';

const OFFLINE: PresenceView = { show: 'offline', label: 'Offline', status: '' };

/** The chat's title row: presence, name, JID, the device picker and "Send file", and a two-step "Remove contact". */
export function ChatHeader({ jid, name }: { jid: string; name: string }) {
  const item = useRoster((s) => s.items.find((i) => i.jid === jid));
  const [isConfirming, setConfirming] = useState(false);
  const presence = item ? presenceOf(item) : OFFLINE;
  const remove = () => {
    if (!isConfirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    chatsStore.getState().close();
    void rosterStore.getState().remove(jid);
  };
  return (
    <div className="chat-header">
      <PresenceDot show={presence.show} />
      <div className="chat-title">
        <h2>{name}</h2>
        <span className="chat-sub">{jid} · {presence.label}{presence.status ? ` — ${presence.status}` : ''}</span>
      </div>
      <ResourcePicker jid={jid} />
      <SendFileButton jid={jid} />
      {item && (
        <button type="button" className="ghost small" onClick={remove} onBlur={() => setConfirming(false)}>
          {isConfirming ? 'Click again to remove' : 'Remove contact'}
        </button>
      )}
    </div>
  );
}

import { useEffect } from 'react';
import { chatsStore, useChats } from '../../stores/chatsStore';

/** How long "is typing…" stays without news from the peer (a lost `paused` must not leave it forever). */
export const TYPING_TIMEOUT_MS = 30_000;

/** "Bob is typing…" while the open chat's peer is composing (XEP-0085); gone on their next state or message, or after TYPING_TIMEOUT_MS. */
export function TypingIndicator({ jid, name }: { jid: string; name: string }) {
  const since = useChats((s) => s.typingSince[jid]);
  useEffect(() => {
    if (since === undefined) return;
    const timer = setTimeout(() => chatsStore.getState().stopTyping(jid, since), Math.max(0, since + TYPING_TIMEOUT_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [jid, since]);
  return (
    <p className="typing-indicator" role="status" aria-live="polite">
      {since === undefined ? '' : `${name} is typing…`}
    </p>
  );
}

import { useEffect, useRef } from 'react';
import { chatsStore, useChats } from '../../stores/chatsStore';

/** XEP-0085 §5.2 (Generation of Notifications): "paused" after the user stopped typing for this long. */
export const PAUSED_AFTER_MS = 5_000;

/**
 * What the composer tells the open chat's peer: `composing` when the user starts typing (once, not per
 * key: the host also refuses repeats, §5.3), `paused` after PAUSED_AFTER_MS without typing or when the
 * chat is left mid-sentence. The sent message itself carries `<active/>` (added by the host).
 */
export function useChatStateSender(): { onInput: () => void; onSent: () => void } {
  const jid = useChats((s) => s.openJid);
  const isComposing = useRef(false);
  const pauseTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopTimer = () => {
    if (pauseTimer.current) clearTimeout(pauseTimer.current);
    pauseTimer.current = null;
  };
  const tell = (to: string, state: 'composing' | 'paused') => void chatsStore.getState().sendState(to, state);
  useEffect(() => () => {
    // Leaving the chat (or another one opening) while composing: the peer should not see us typing on.
    stopTimer();
    if (isComposing.current && jid) tell(jid, 'paused');
    isComposing.current = false;
  }, [jid]);
  return {
    onInput() {
      if (!jid) return;
      if (!isComposing.current) tell(jid, 'composing');
      isComposing.current = true;
      stopTimer();
      pauseTimer.current = setTimeout(() => {
        pauseTimer.current = null;
        isComposing.current = false;
        tell(jid, 'paused');
      }, PAUSED_AFTER_MS);
    },
    onSent() {
      stopTimer();
      isComposing.current = false;
    },
  };
}

import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';
import { chatsStore, useChats } from '../../stores/chatsStore';

/**
 * Loads older messages when the list is scrolled to its top, and keeps the message that was at the top
 * in place once they are prepended. Returns the list's onScroll handler. The paging itself lives in the
 * chats store (loadOlder).
 */
export function useLoadOlderOnScroll(listRef: RefObject<HTMLElement | null>, jid: string): () => void {
  const firstId = useChats((s) => s.byPeer[jid]?.[0]?.id);
  const heightBefore = useRef<number | null>(null);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || heightBefore.current === null) return;
    list.scrollTop += list.scrollHeight - heightBefore.current;
    heightBefore.current = null;
  }, [firstId, listRef]);
  return useCallback(() => {
    const list = listRef.current;
    if (!list || list.scrollTop > 0) return;
    const { hasOlder, loadingOlder } = chatsStore.getState();
    if (hasOlder[jid] === false || loadingOlder[jid]) return;
    heightBefore.current = list.scrollHeight;
    void chatsStore.getState().loadOlder(jid);
  }, [jid, listRef]);
}

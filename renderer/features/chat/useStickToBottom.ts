import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';

/** Within this many pixels of the end the user counts as "at the bottom" (rounding, a last half line). */
const AT_BOTTOM_SLACK_PX = 48;

/**
 * Keeps a scrolling list at its newest item: scrolled to the end when the chat opens, when the user adds
 * something (`isOwnNewest` with a new `newestKey`), and after every render while the user was at the
 * bottom (new messages, new cards, a card that grew). Scrolled up to read, the list stays where it is.
 * Returns the list's onScroll handler, which remembers whether the user is at the bottom.
 */
export function useStickToBottom(
  listRef: RefObject<HTMLElement | null>, options: { jid: string; newestKey: string | undefined; isOwnNewest: boolean },
): () => void {
  const { jid, newestKey, isOwnNewest } = options;
  const isAtBottom = useRef(true);
  const toBottom = () => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  };
  useLayoutEffect(() => { isAtBottom.current = true; }, [jid]);
  useLayoutEffect(() => {
    if (isOwnNewest) isAtBottom.current = true;
  }, [newestKey, isOwnNewest]);
  useLayoutEffect(() => {
    if (isAtBottom.current) toBottom();
  });
  return useCallback(() => {
    const list = listRef.current;
    if (list) isAtBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight <= AT_BOTTOM_SLACK_PX;
  }, [listRef]);
}

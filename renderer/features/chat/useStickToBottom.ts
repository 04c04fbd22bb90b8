import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/** Within this many pixels of the end the user counts as "at the bottom" (rounding, a last half line). */
const AT_BOTTOM_SLACK_PX = 48;

/**
 * At the end, or still where our last stick left it (`stuckAt`): content that grew after our scroll (an image
 * decoded before its scroll event came) does not make it "scrolled up"; a scroll by the user, or a revealed
 * card's scrollIntoView, moves scrollTop away from it.
 */
function isStillAtBottom(list: HTMLElement, stuckAt: number | null): boolean {
  return list.scrollTop === stuckAt || list.scrollHeight - list.scrollTop - list.clientHeight <= AT_BOTTOM_SLACK_PX;
}

/**
 * Keeps a scrolling list at its newest item: scrolled to the end when the chat opens, when the user adds
 * something (`isOwnNewest` with a new `newestKey`), after every render while the user was at the bottom (new
 * messages, new cards, a card that grew), and when an item grows without a render (issue 11: a thumbnail or
 * image that finished loading; any other change of an item's height the browser reports). Scrolled up to
 * read, the list stays where it is. Returns the list's onScroll handler, which remembers whether the user is
 * at the bottom.
 */
export function useStickToBottom(
  listRef: RefObject<HTMLElement | null>, options: { jid: string; newestKey: string | undefined; isOwnNewest: boolean },
): () => void {
  const { jid, newestKey, isOwnNewest } = options;
  const isAtBottom = useRef(true);
  /** Where our last scroll to the end left scrollTop: a scroll event still reporting it is ours, not the user's. */
  const stuckAt = useRef<number | null>(null);
  const toBottom = () => {
    const list = listRef.current;
    if (!list) return;
    list.scrollTop = list.scrollHeight;
    stuckAt.current = list.scrollTop;
  };
  useLayoutEffect(() => { isAtBottom.current = true; }, [jid]);
  useLayoutEffect(() => {
    if (isOwnNewest) isAtBottom.current = true;
  }, [newestKey, isOwnNewest]);
  useLayoutEffect(() => {
    if (isAtBottom.current) toBottom();
  });
  useGrowth(listRef, () => {
    const list = listRef.current;
    if (list && isAtBottom.current && isStillAtBottom(list, stuckAt.current)) toBottom();
  });
  return useCallback(() => {
    const list = listRef.current;
    if (list) isAtBottom.current = isStillAtBottom(list, stuckAt.current);
  }, [listRef]);
}

interface Watch { list: HTMLElement; observer: ResizeObserver | null; stop(): void }

function watch(list: HTMLElement, grown: () => void): Watch {
  list.addEventListener('load', grown, true);
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(grown);
  return {
    list, observer,
    stop() {
      list.removeEventListener('load', grown, true);
      observer?.disconnect();
    },
  };
}

/**
 * Calls `onGrow` when something in the list may have changed height without a render: an image inside it
 * loaded ('load' does not bubble, so it is caught on the way down), or a ResizeObserver, where there is one,
 * saw an item change size. Every item present after a render is observed; a new list element (the timeline
 * replaces its empty note by the list) is watched instead of the old one.
 */
function useGrowth(listRef: RefObject<HTMLElement | null>, onGrow: () => void): void {
  const latest = useRef(onGrow);
  const watching = useRef<Watch | null>(null);
  useEffect(() => {
    latest.current = onGrow;
    const list = listRef.current;
    if (watching.current?.list !== list) {
      watching.current?.stop();
      watching.current = list ? watch(list, () => latest.current()) : null;
    }
    const observer = watching.current?.observer;
    if (list && observer) for (const item of list.children) observer.observe(item);
  });
  useEffect(() => () => {
    watching.current?.stop();
    watching.current = null;
  }, []);
}

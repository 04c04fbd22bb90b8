import { useCallback, useMemo, useState } from 'react';

/** At most this many closed toast ids are remembered per account (the service keeps 32 unanswered offers at once). */
export const CLOSED_TOASTS_LIMIT = 64;

const KEY_PREFIX = 'ferry.closedToasts:';

/** The page's session storage, or null where there is none or it refuses (privacy modes, quotas). */
function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function read(account: string | null): string[] {
  if (!account) return [];
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(KEY_PREFIX + account) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string').slice(-CLOSED_TOASTS_LIMIT) : [];
  } catch {
    return [];
  }
}

function write(account: string | null, ids: readonly string[]): void {
  if (!account) return;
  try {
    const store = storage();
    if (ids.length === 0) store?.removeItem(KEY_PREFIX + account);
    else store?.setItem(KEY_PREFIX + account, JSON.stringify(ids));
  } catch {
    // Storage full or refused: the toasts stay closed until the next reload, as before.
  }
}

/**
 * The offer toasts the user closed (issue 11), kept in the page's sessionStorage per account so a reload does
 * not bring them back; the offers themselves stay in their chats as cards. Pruned on every close to the ids
 * still offered (`offeredIds`) and bounded to the newest CLOSED_TOASTS_LIMIT. sessionStorage, not
 * localStorage: it lives as long as the window (reloads included) and offers do not outlive the host.
 */
export function useClosedToasts(account: string | null, offeredIds: readonly string[]): {
  closed: ReadonlySet<string>;
  close(ids: readonly string[]): void;
} {
  const [state, setState] = useState(() => ({ account, ids: read(account) }));
  const current = state.account === account ? state : { account, ids: read(account) };
  if (current !== state) setState(current); // another account logged in: its own closed toasts
  const close = useCallback((ids: readonly string[]) => {
    const offered = new Set([...offeredIds, ...ids]);
    const kept = [...current.ids.filter((id) => !ids.includes(id)), ...ids].filter((id) => offered.has(id)).slice(-CLOSED_TOASTS_LIMIT);
    write(current.account, kept);
    setState({ account: current.account, ids: kept });
  }, [current, offeredIds]);
  return { closed: useMemo(() => new Set(current.ids), [current]), close };
}

/**
 * XEP-0085: Chat State Notifications, version 2.1 (2009-09-23)
 * https://xmpp.org/extensions/xep-0085.html
 *
 * Pure: reading and building the five states, telling a state-only message from a chat message, and the
 * timing rules for what the composer sends. The session wiring is xmpp/chatStates.ts (issue #10).
 */
import xml, { type Element } from '@xmpp/xml';

export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';

/** The five states. */
export const CHAT_STATES = ['active', 'composing', 'paused', 'inactive', 'gone'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

/** Least time between two `<composing/>` sent while the user keeps typing. */
export const COMPOSING_INTERVAL_MS = 3_000;
/** "paused" after the user stopped typing for a while. */
export const PAUSED_AFTER_MS = 5_000;
/** A peer's "typing" shown no longer than this without news. */
export const PEER_COMPOSING_TIMEOUT_MS = 30_000;

export function chatStateElement(state: ChatState): Element {
  return xml(state, { xmlns: NS_CHATSTATES });
}

/**
 * The chat state a message carries, or null. A stanza carries at most one; two different ones are
 * treated as none. Errors and groupchat (not handled here) carry none.
 */
export function readChatState(message: Element): ChatState | null {
  if (message.name !== 'message') return null;
  const type = message.attrs.type ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return null;
  const found = message.children.filter((child): child is Element => typeof child !== 'string' && child.attrs.xmlns === NS_CHATSTATES
    && (CHAT_STATES as readonly string[]).includes(child.name));
  const names = new Set(found.map((child) => child.name));
  return names.size === 1 ? (found[0]!.name as ChatState) : null;
}

/** A standalone notification: a message with a state and no body is not a chat message. */
export function isStateOnly(message: Element): boolean {
  return readChatState(message) !== null && typeof message.getChildText('body') !== 'string';
}

/** Whether a `<composing/>` is due now, given when the last one was sent (null: none since the last message). */
export function composingDue(lastComposingAt: number | null, now: number): boolean {
  return lastComposingAt === null || now - lastComposingAt >= COMPOSING_INTERVAL_MS;
}

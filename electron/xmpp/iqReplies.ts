import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { parseJid } from '../../shared/model/jid';

type IncomingMiddleware = Parameters<Client['middleware']['use']>[0];

interface Pending {
  /** Who the request went to, normalised; null for the account's own server/bare JID. */
  to: string | null;
  resolve: (reply: Element) => void;
}

/**
 * Matches IQ replies to Ferry's requests by id AND by sender (RFC 6120 §8.1.2.1: a reply comes from the entity
 * the request was addressed to; a request with no 'to' is answered by the server or the account's bare JID).
 * xmpp.js's iqCaller matches by id alone, so any entity that learns or guesses an id could answer for the peer;
 * a reply from anyone else is ignored here and the request keeps waiting for the real one (or its timeout).
 */
export class IqReplies {
  private readonly pending = new Map<string, Pending>();

  /** Waits for the reply to the request with `id` sent to `to`; resolves with the whole iq (result or error). */
  expect(id: string, to: string | undefined, ownJid: string): { reply: Promise<Element>; cancel: () => void } {
    const target = normalise(to);
    const own = normalise(ownJid);
    const key = target === null || target === bareOf(own) ? null : target;
    let resolve!: (reply: Element) => void;
    const reply = new Promise<Element>((r) => { resolve = r; });
    this.pending.set(id, { to: key, resolve });
    return { reply, cancel: () => this.pending.delete(id) };
  }

  middleware(ownJid: () => string): IncomingMiddleware {
    return (ctx, next) => {
      const { stanza } = ctx;
      if (stanza.name !== 'iq' || (ctx.type !== 'result' && ctx.type !== 'error')) return next();
      const id = String(stanza.attrs.id ?? '');
      const waiting = this.pending.get(id);
      if (!waiting) return next();
      if (!isFromTarget(waiting.to, stanza.attrs.from as string | undefined, ownJid())) return next();
      this.pending.delete(id);
      waiting.resolve(stanza);
      return undefined;
    };
  }
}

/** Whether a reply's 'from' is the entity a request went to (null: the own account or its server). */
export function isFromTarget(target: string | null, from: string | undefined, ownJid: string): boolean {
  const sender = normalise(from);
  if (target !== null) return sender === target;
  const own = normalise(ownJid);
  const domain = parseJid(ownJid)?.domain.toLowerCase() ?? '';
  return sender === null || sender === bareOf(own) || sender === domain;
}

function normalise(jid: string | undefined): string | null {
  if (!jid) return null;
  const parts = parseJid(jid);
  if (!parts) return jid;
  const bare = `${parts.local ? `${parts.local.toLowerCase()}@` : ''}${parts.domain.toLowerCase()}`;
  return parts.resource ? `${bare}/${parts.resource}` : bare;
}

function bareOf(jid: string | null): string | null {
  return jid === null ? null : jid.split('/')[0];
}

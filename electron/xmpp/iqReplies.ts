import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { parseJid } from '../../shared/model/jid';

type IncomingMiddleware = Parameters<Client['middleware']['use']>[0];

interface Pending {
  /** Who the request went to, normalised; null for the account itself (no 'to', or its bare JID). */
  to: string | null;
  resolve: (reply: Element) => void;
}

/**
 * Matches IQ replies to Ferry's requests by id AND by sender. RFC 6120 §8.1.2.1: a result or error comes from
 * the entity the request was addressed to (the server stamps 'from', §8.1.2.1, so a peer cannot fake it); a
 * request with no 'to' or to the account's bare JID is answered by the server on the account's behalf, with
 * no 'from', the bare JID or the domain (§10.1, §10.3). xmpp.js's iqCaller matches by id alone, so anyone who
 * learns an id could answer for the addressee; such a reply is ignored here and the request keeps waiting for
 * the real one (or its timeout).
 *
 * The middleware sits after @xmpp/stream-management's (added after the client is built), so every reply is
 * counted in XEP-0198's h, the ignored ones too: they were received and handled by being dropped.
 */
export class IqReplies {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  /** Waits for the reply to the request with `id` sent to `to`; resolves with the whole iq (result or error). */
  expect(id: string, to: string | undefined, ownJid: string): { reply: Promise<Element>; cancel: () => void } {
    const target = normalise(to);
    const key = target === null || target === bareOf(normalise(ownJid)) ? null : target;
    let resolve!: (reply: Element) => void;
    const reply = new Promise<Element>((r) => { resolve = r; });
    this.pending.set(id, { to: key, resolve });
    return { reply, cancel: () => this.pending.delete(id) };
  }

  /** Incoming middleware: settles the pending request a reply answers; anything else goes on down the chain. */
  readonly middleware: IncomingMiddleware = (ctx, next) => {
    const { stanza } = ctx;
    if (stanza.name !== 'iq' || (ctx.type !== 'result' && ctx.type !== 'error')) return next();
    const id = String(stanza.attrs.id ?? '');
    const waiting = this.pending.get(id);
    if (!waiting) return next();
    const from = stanza.attrs.from as string | undefined;
    if (!isFromTarget(waiting.to, from, String(ctx.entity.jid ?? ''))) {
      this.log(`ignored an iq ${ctx.type} with id ${id} from ${from ?? '(none)'}: the request went to ${waiting.to ?? 'the own account'}`);
      return next();
    }
    this.pending.delete(id);
    waiting.resolve(stanza);
    return undefined;
  };
}

/** Whether a reply's 'from' is the entity a request went to (null: the own account, answered by its server). */
function isFromTarget(target: string | null, from: string | undefined, ownJid: string): boolean {
  const sender = normalise(from);
  if (target !== null) return sender === target;
  const own = normalise(ownJid);
  const domain = parseJid(ownJid)?.domain ?? '';
  return sender === null || sender === bareOf(own) || sender === domain;
}

/** Local part and domain lower-cased (ASCII nodeprep/nameprep, as toBareJid); the resource kept as is. */
function normalise(jid: string | undefined): string | null {
  if (!jid) return null;
  const parts = parseJid(jid);
  if (!parts) return jid;
  const bare = parts.local ? `${parts.local.toLowerCase()}@${parts.domain}` : parts.domain;
  return parts.resource ? `${bare}/${parts.resource}` : bare;
}

function bareOf(jid: string | null): string | null {
  return jid === null ? null : jid.split('/')[0];
}

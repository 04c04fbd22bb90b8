import { requestAcksWhileBusy, type AckClient } from './ackRequests';
import { useChunkedParser } from './chunkedParser';
import { countInboundFromEnabled, type CountingClient } from './smInboundCounter';
import { randomUUID } from 'node:crypto';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { FerryError } from '../../shared/ipc/wireError';
import { formatService, isPlaintextAllowed, type ServiceEndpoint } from './connectionOptions';
import { toLoginError } from './loginErrors';
import { useNativeScramSha1 } from './scramSha1';

/** Answers one incoming IQ get/set: an Element is the result's child, undefined an empty result. */
export type IqDispatch = (stanza: Element, child: Element) => Promise<Element | undefined> | undefined;

/** Everything needed to open one authenticated stream. */
export interface OpenClientOptions {
  endpoint: ServiceEndpoint;
  /** The JID's domain: stream `to`, SASL realm and the name the TLS certificate must carry. */
  domain: string;
  username: string;
  password: string;
  resource: string;
  allowPlaintext: boolean;
  timeoutMs: number;
  /** Returns undefined when no handler claims the IQ (then xmpp.js answers service-unavailable). */
  dispatchIq: IqDispatch;
  /** Settles Ferry's pending requests from their replies (iqReplies.ts); runs after stream management counted them. */
  replies?: IncomingMiddleware;
  log: (line: string) => void;
}

const STOP_TIMEOUT_MS = 3000;

/**
 * Opens one stream: connect, STARTTLS (or direct TLS), SASL SCRAM, resource binding. Resolves with the online
 * client; rejects with a FerryError after stopping the client (STACK.md: stop() after a failed start(), or
 * the socket lingers). @xmpp/reconnect is stopped: XmppSession drives reconnects itself.
 */
export async function openClient(options: OpenClientOptions): Promise<Client> {
  const service = formatService(options.endpoint);
  const xmpp = client({
    service, domain: options.domain, resource: options.resource,
    credentials: authenticateWithPolicy(options),
  });
  xmpp.reconnect.stop();
  useNativeScramSha1((xmpp as unknown as { saslFactory: unknown }).saslFactory);
  useChunkedParser(xmpp as unknown as Parameters<typeof useChunkedParser>[0]);
  ignoreDataWithoutParser(xmpp);
  countInboundFromEnabled(xmpp as unknown as CountingClient);
  xmpp.on('error', (error: Error) => options.log(`xmpp error (${service}): ${error.message}`));
  // Appended after @xmpp/client's own middleware (stream management counts every stanza before these run).
  xmpp.middleware.use(iqMiddleware(options.dispatchIq));
  if (options.replies) xmpp.middleware.use(options.replies);
  // Nagle's algorithm delays small stanzas (IBB acks) by up to ~40 ms against delayed ACKs: a windowed
  // IBB stream then stalls on every round trip. Turn it off on the socket of every connection (after
  // STARTTLS the socket is replaced, hence 'online' too).
  const noDelay = (): void => setNoDelay(xmpp.socket);
  xmpp.on('connect', noDelay);
  xmpp.on('online', noDelay);
  try {
    await withTimeout(xmpp.start(), options.timeoutMs, () => new FerryError('timeout', `${service} did not finish the login within ${options.timeoutMs} ms.`));
    requestAcksWhileBusy(xmpp as unknown as AckClient);
    return xmpp;
  } catch (error) {
    await stopQuietly(xmpp);
    throw toLoginError(error, { jid: `${options.username}@${options.domain}`, service });
  }
}

/** Stops a client within a bounded time, ignoring errors: used on logout and after failures. */
export async function stopQuietly(xmpp: Client): Promise<void> {
  try {
    await withTimeout(xmpp.stop(), STOP_TIMEOUT_MS, () => new Error('stop timed out'));
  } catch {
    (xmpp.socket as { destroy?: () => void } | null)?.destroy?.();
  }
}

/**
 * @xmpp/connection drops its parser when the stream closes or when it gave up waiting for the server's
 * `</stream:stream>` (2 s), then ends the socket and waits for it to close: bytes a slow (throttled) server
 * sends in that window reached `this.parser.write` on null, an uncaught TypeError that killed `ferry send`
 * against ejabberd (issue 7). RFC 6120 §4.4: after the close, nothing more is processed, so drop them.
 * Set on the instance before connect(): the socket listener binds `this._onData` when first attached.
 */
function ignoreDataWithoutParser(xmpp: Client): void {
  const connection = xmpp as unknown as { parser: unknown; _onData: (data: Buffer) => void };
  const onData = connection._onData;
  connection._onData = function (this: typeof connection, data: Buffer): void {
    if (this.parser) onData.call(this, data);
  };
}

type CredentialsFactory = NonNullable<Parameters<typeof client>[0]>['credentials'];

/**
 * SASL runs only on a secure stream unless plaintext is allowed for a loopback service. @xmpp/client calls
 * this after STARTTLS was negotiated when the server offered it (RFC 6120 §5.3.1: TLS before SASL), so an
 * insecure stream here means the server offered no STARTTLS: abort before any SASL byte is sent.
 */
function authenticateWithPolicy(options: OpenClientOptions): CredentialsFactory {
  const userAgent = xml('user-agent', { id: randomUUID() }, xml('software', {}, 'Ferry'));
  return async (authenticate, mechanisms, _fast, entity) => {
    const isSecure = entity.isSecure();
    if (!isSecure && !isPlaintextAllowed({ allowPlaintext: options.allowPlaintext, host: options.endpoint.host })) {
      throw new FerryError('tls-required',
        `${formatService(options.endpoint)} offers no TLS; Ferry will not send your password unencrypted.`);
    }
    // Over an insecure (loopback) stream never pick PLAIN: it would put the password on the wire.
    const mechanism = isSecure ? mechanisms[0] : mechanisms.find((m) => m !== 'PLAIN');
    if (!mechanism) throw new FerryError('tls-required', 'The server offers only PLAIN authentication without TLS.');
    await authenticate({ username: options.username, password: options.password }, mechanism, userAgent);
  };
}

type IncomingMiddleware = Parameters<Client['middleware']['use']>[0];

function iqMiddleware(dispatchIq: IqDispatch): IncomingMiddleware {
  return async (ctx, next) => {
    const { stanza } = ctx;
    if (stanza.name !== 'iq' || (ctx.type !== 'get' && ctx.type !== 'set')) return next();
    const children = stanza.getChildElements();
    if (children.length !== 1) return next();
    const reply = dispatchIq(stanza, children[0]);
    if (reply === undefined) return next();
    // xmpp.js's iqCallee turns an Element into the result child, `true` into an empty result, an <error/> into an error reply.
    return (await reply) ?? true;
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** TCP_NODELAY on a client's socket: a net.Socket, or @xmpp/tls's wrapper holding a TLSSocket. */
function setNoDelay(socket: unknown): void {
  const candidate = socket as { setNoDelay?: (on: boolean) => void; socket?: { setNoDelay?: (on: boolean) => void } } | null;
  if (typeof candidate?.setNoDelay === 'function') candidate.setNoDelay(true);
  else candidate?.socket?.setNoDelay?.(true);
}

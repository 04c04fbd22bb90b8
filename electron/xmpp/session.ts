import { randomBytes } from 'node:crypto';
import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../shared/ipc/eventBus';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid, type FullJid } from '../../shared/model/jid';
import type { LoginArgs, SessionSnapshot, WireErrorShape } from '../../shared/model/session';
import { openClient, stopQuietly } from './clientFactory';
import { IqReplies } from './iqReplies';
import { reconnectDelayMs, type BackoffOptions } from './reconnectPolicy';
import { resolveServiceCandidates, type SrvResolver } from './serviceResolver';
import { parseStanzaError, stanzaErrorElement } from './stanzaErrors';

/** One incoming IQ get/set as a handler sees it. */
export interface IqRequest {
  /** The single child of the iq (the query). */
  element: Element;
  stanza: Element;
  /** The sender's JID as written in the stanza ('' when absent: from the server on behalf of the account). */
  from: string;
}

/** Answers an IQ: an Element becomes the result's child, undefined an empty result; throw XmppStanzaError to refuse. */
export type IqHandler = (request: IqRequest) => Element | undefined | Promise<Element | undefined>;

/** Tunables; all optional. */
export interface XmppSessionOptions {
  log?: (line: string) => void;
  /** Bound on one login attempt (connect, TLS, SASL, bind). Default 20 s. */
  loginTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  resolver?: SrvResolver;
}

interface SessionEvents {
  state: SessionSnapshot;
  message: Element;
  presence: Element;
}

const DEFAULT_LOGIN_TIMEOUT_MS = 20_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const OFFLINE: SessionSnapshot = { state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false };

/**
 * Owns the @xmpp/client instance: login with Ferry's TLS policy, reconnect with backoff after an unexpected
 * disconnect (a fresh client per connection), and the primitives every other module builds on.
 * Handlers and listeners registered here survive reconnects.
 */
export class XmppSession {
  private readonly bus = new EventBus<SessionEvents>();
  private readonly iqHandlers = new Map<string, IqHandler>();
  private readonly log: (line: string) => void;
  private readonly replies: IqReplies;
  private current: SessionSnapshot = OFFLINE;
  private xmpp: Client | null = null;
  private loginArgs: LoginArgs | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  /** Bumped by every login and logout: async work from an older generation drops its result. */
  private generation = 0;

  constructor(private readonly options: XmppSessionOptions = {}) {
    this.log = options.log ?? (() => {});
    this.replies = new IqReplies(this.log);
  }

  /** The state as the user sees it (a copy). */
  get snapshot(): SessionSnapshot {
    return { ...this.current };
  }

  /** Own full JID while online, else null. */
  get jid(): FullJid | null {
    return this.current.state === 'online' ? this.current.jid : null;
  }

  get isOnline(): boolean {
    return this.current.state === 'online';
  }

  /** Logs in (ending any previous session); resolves once online, rejects with a FerryError and no retry. */
  async login(args: LoginArgs): Promise<SessionSnapshot> {
    const parts = parseJid(args.jid);
    if (!parts || !parts.local) throw new FerryError('bad-request', `not an account JID: ${args.jid}`);
    await this.logout();
    const generation = this.generation;
    this.loginArgs = args;
    this.setState({ ...OFFLINE, state: 'connecting' });
    try {
      const xmpp = await this.connect(args);
      if (generation !== this.generation) {
        await stopQuietly(xmpp);
        throw new FerryError('not-connected', 'logged out while logging in');
      }
      this.adopt(xmpp);
      return this.snapshot;
    } catch (error) {
      const ferryError = asFerryError(error);
      if (generation === this.generation) this.setState({ ...OFFLINE, state: 'failed', error: wire(ferryError) });
      throw ferryError;
    }
  }

  /** Ends the session and any reconnect plan; idempotent. */
  async logout(): Promise<SessionSnapshot> {
    this.generation += 1;
    this.clearReconnectTimer();
    this.attempt = 0;
    const xmpp = this.xmpp;
    this.xmpp = null;
    if (xmpp) await stopQuietly(xmpp);
    if (this.current.state !== 'offline' || this.current.error) this.setState(OFFLINE);
    return this.snapshot;
  }

  /** Sends a stanza; FerryError('not-connected') when not online. */
  async send(element: Element): Promise<void> {
    await this.online().send(element);
  }

  /**
   * Sends an IQ and waits for its result; XmppStanzaError for an error reply, FerryError('timeout') for silence.
   * Only a reply from the JID the request went to settles it (IqReplies; RFC 6120 §8.1.2.1).
   */
  async request(iq: Element, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<Element> {
    const xmpp = this.online();
    if (!iq.attrs.id) iq.attrs.id = `ferry-${randomBytes(8).toString('hex')}`;
    const waiting = this.replies.expect(String(iq.attrs.id), iq.attrs.to as string | undefined, String(xmpp.jid ?? ''));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FerryError('timeout', `no answer from ${String(iq.attrs.to ?? 'the server')} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await xmpp.send(iq);
      const reply = await Promise.race([waiting.reply, timeout]);
      if (reply.attrs.type === 'error') throw parseStanzaError(reply.getChild('error'));
      return reply;
    } catch (error) {
      throw asFerryError(error);
    } finally {
      clearTimeout(timer);
      waiting.cancel();
    }
  }

  /** Answers IQs of `type` whose child is `<childName xmlns=ns>`; one handler per key, the latest wins. */
  handleIq(type: 'get' | 'set', ns: string, childName: string, handler: IqHandler): () => void {
    const key = iqKey(type, ns, childName);
    this.iqHandlers.set(key, handler);
    return () => {
      if (this.iqHandlers.get(key) === handler) this.iqHandlers.delete(key);
    };
  }

  /** Every incoming `<message/>`, including errors; returns dispose. */
  onMessage(listener: (stanza: Element) => void): () => void {
    return this.bus.on('message', listener);
  }

  /** Every incoming `<presence/>`; returns dispose. */
  onPresence(listener: (stanza: Element) => void): () => void {
    return this.bus.on('presence', listener);
  }

  /** Every change of the snapshot; returns dispose. */
  onStateChanged(listener: (snapshot: SessionSnapshot) => void): () => void {
    return this.bus.on('state', listener);
  }

  /** Logs out and drops every listener and handler. */
  async dispose(): Promise<void> {
    await this.logout();
    this.bus.clear();
    this.iqHandlers.clear();
  }

  private online(): Client {
    if (!this.xmpp || this.current.state !== 'online') throw new FerryError('not-connected', 'not connected to the server');
    return this.xmpp;
  }

  private async connect(args: LoginArgs): Promise<Client> {
    const parts = parseJid(args.jid)!;
    const candidates = await resolveServiceCandidates({ domain: parts.domain, service: args.service, resolver: this.options.resolver });
    let lastError: unknown = new FerryError('cannot-connect', `no server found for ${parts.domain}`);
    for (const endpoint of candidates) {
      try {
        return await openClient({
          endpoint, domain: parts.domain, username: parts.local, password: args.password,
          resource: args.resource ?? `ferry-${randomBytes(4).toString('hex')}`,
          allowPlaintext: args.allowPlaintext === true,
          timeoutMs: this.options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
          dispatchIq: (stanza, child) => this.dispatchIq(stanza, child), replies: this.replies.middleware, log: this.log,
        });
      } catch (error) {
        lastError = error;
        // Only a server we could not reach is worth trying the next candidate for.
        if (!(error instanceof FerryError) || error.code !== 'cannot-connect') break;
      }
    }
    throw lastError;
  }

  private adopt(xmpp: Client): void {
    this.xmpp = xmpp;
    this.attempt = 0;
    xmpp.on('stanza', (stanza: Element) => {
      if (stanza.name === 'message') this.bus.emit('message', stanza);
      else if (stanza.name === 'presence') this.bus.emit('presence', stanza);
    });
    xmpp.on('disconnect', () => this.onDisconnect(xmpp));
    const jid = String(xmpp.jid) as FullJid;
    this.log(`online as ${jid} (${xmpp.isSecure() ? 'TLS' : 'plaintext'})`);
    this.setState({ state: 'online', jid, error: null, retryInMs: null, isSecure: xmpp.isSecure() });
  }

  private onDisconnect(xmpp: Client): void {
    if (xmpp !== this.xmpp) return; // a stop we asked for, or an old client
    this.xmpp = null;
    this.log('connection lost');
    void stopQuietly(xmpp);
    this.scheduleReconnect({ code: 'cannot-connect', message: 'The connection to the server was lost.' });
  }

  private scheduleReconnect(error: WireErrorShape): void {
    const delay = reconnectDelayMs(this.attempt, this.options.backoff);
    this.attempt += 1;
    if (delay === null) {
      this.setState({ ...OFFLINE, state: 'failed', error });
      return;
    }
    const generation = this.generation;
    this.setState({ ...OFFLINE, state: 'reconnecting', error, retryInMs: delay });
    this.reconnectTimer = setTimeout(() => void this.reconnect(generation), delay);
  }

  private async reconnect(generation: number): Promise<void> {
    this.reconnectTimer = null;
    if (generation !== this.generation || !this.loginArgs) return;
    this.setState({ ...this.current, retryInMs: null });
    try {
      const xmpp = await this.connect(this.loginArgs);
      if (generation !== this.generation) return void (await stopQuietly(xmpp));
      this.adopt(xmpp);
    } catch (error) {
      if (generation !== this.generation) return;
      const ferryError = asFerryError(error);
      this.log(`reconnect failed: ${ferryError.message}`);
      // A refused password or a lost TLS offer will not fix itself by retrying.
      if (ferryError.code === 'not-authorized' || ferryError.code === 'tls-required') {
        this.setState({ ...OFFLINE, state: 'failed', error: wire(ferryError) });
      } else {
        this.scheduleReconnect(wire(ferryError));
      }
    }
  }

  private dispatchIq(stanza: Element, child: Element): Promise<Element | undefined> | undefined {
    const type = stanza.attrs.type as 'get' | 'set';
    const handler = this.iqHandlers.get(iqKey(type, String(child.attrs.xmlns ?? ''), child.name));
    if (!handler) return undefined;
    const request: IqRequest = { element: child, stanza, from: String(stanza.attrs.from ?? '') };
    return Promise.resolve()
      .then(() => handler(request))
      .catch((error: unknown) => {
        this.log(`iq handler for ${child.name} (${String(child.attrs.xmlns)}) failed: ${String(error)}`);
        return stanzaErrorElement(error);
      });
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setState(next: SessionSnapshot): void {
    this.current = next;
    this.bus.emit('state', this.snapshot);
  }
}

function iqKey(type: string, ns: string, childName: string): string {
  return `${type} ${ns} ${childName}`;
}

function asFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  return new FerryError('internal', error instanceof Error ? error.message : String(error));
}

function wire(error: FerryError): WireErrorShape {
  return { code: error.code, message: error.message };
}

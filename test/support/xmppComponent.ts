/**
 * A XEP-0114 external component (https://xmpp.org/extensions/xep-0114.html, version 1.6) connected to a
 * test Prosody started with `components: [{ jid, secret }]`: the common part of the test components
 * (kontalkComponent.ts, oneteamProxy.ts). It answers disco#info itself, since Prosody forwards every
 * stanza addressed to a component's JID to the component.
 */
import { component, xml, type Component, type ComponentIqHandler } from '@xmpp/component';
import type { Element } from '@xmpp/xml';
import type { LocalProsody } from './prosody';

export { xml as componentXml };

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const COMPONENT_START_TIMEOUT_MS = 10_000;
/** How long a push IQ (an iq-set the component sends) waits for its answer. */
export const PUSH_TIMEOUT_MS = 10_000;

/** RFC 6120 §8.3.2 error types. */
export type StanzaErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

/** An error reply: RFC 6120 type and condition, and the legacy `code` (XEP-0086) when the spec names one. */
export interface ComponentError {
  type: StanzaErrorType;
  condition: string;
  code?: number;
  text?: string;
}

export interface ComponentConnectOptions {
  prosody: LocalProsody;
  jid: string;
  secret: string;
}

export interface TestComponent {
  readonly jid: string;
  /** An IQ-get handler for the child name/namespace (see ComponentIqHandler for what it returns). */
  get(ns: string, name: string, handler: ComponentIqHandler): void;
  set(ns: string, name: string, handler: ComponentIqHandler): void;
  /** Sends `<iq type='set' to>child</iq>` and resolves with the answer; rejects on an error or after timeoutMs. */
  push(to: string, child: Element, timeoutMs?: number): Promise<Element>;
  /** Errors the connection reported (an 'error' listener is required, or they would crash the run). */
  readonly errors: readonly Error[];
  /** Idempotent. */
  stop(): Promise<void>;
}

/** `<error type code?><condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text/>?</error>`. */
export function componentError(error: ComponentError): Element {
  const children = [xml(error.condition, { xmlns: NS_STANZAS })];
  if (error.text !== undefined) children.push(xml('text', { xmlns: NS_STANZAS }, error.text));
  return xml('error', { type: error.type, code: error.code === undefined ? undefined : String(error.code) }, ...children);
}

/** A disco#info `<query/>` with the given identity and features (disco#info itself always among them). */
export function discoInfoQuery(identity: { category: string; type: string; name: string }, features: string[]): Element {
  const all = [...new Set([NS_DISCO_INFO, ...features])];
  return xml('query', { xmlns: NS_DISCO_INFO }, xml('identity', identity), ...all.map((feature) => xml('feature', { var: feature })));
}

/** Connects and authenticates the component (XEP-0114 §3 handshake); resolves once it is online. */
export async function connectTestComponent(options: ComponentConnectOptions): Promise<TestComponent> {
  const port = options.prosody.ports.component;
  if (port === undefined) throw new Error('start the test Prosody with components: [{ jid, secret }]');
  const entity: Component = component({ service: `xmpp://127.0.0.1:${port}`, domain: options.jid, password: options.secret });
  entity.reconnect.stop();
  const errors: Error[] = [];
  entity.on('error', (error) => { errors.push(error); });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`component ${options.jid} not online within ${COMPONENT_START_TIMEOUT_MS} ms`)), COMPONENT_START_TIMEOUT_MS);
  });
  try {
    await Promise.race([entity.start(), timeout]);
  } catch (error) {
    await entity.stop().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  let stopping: Promise<void> | null = null;
  return {
    jid: options.jid,
    errors,
    get: (ns, name, handler) => entity.iqCallee.get(ns, name, handler),
    set: (ns, name, handler) => entity.iqCallee.set(ns, name, handler),
    push: (to, child, timeoutMs = PUSH_TIMEOUT_MS) => entity.iqCaller.request(xml('iq', { type: 'set', to, from: options.jid }, child), timeoutMs),
    stop() {
      stopping ??= entity.stop().then(() => undefined, () => undefined);
      return stopping;
    },
  };
}

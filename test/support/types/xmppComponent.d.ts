// @xmpp/component 0.13 ships no types (and @types has none): the few parts test components use.
declare module '@xmpp/component' {
  import type { Element } from '@xmpp/xml';

  /** What an IQ handler sees: the stanza, its first child, and the sender (a full JID for a client). */
  export interface ComponentIqContext {
    stanza: Element;
    element: Element;
    from: { toString(): string } | null;
    id: string;
  }

  /**
   * An IQ handler returns the result's child element, true for an empty result, or an `<error/>`
   * element, which @xmpp/iq's callee wraps into an `<iq type='error'/>`. Nothing: service-unavailable.
   */
  export type ComponentIqHandler = (ctx: ComponentIqContext) => Element | true | undefined | Promise<Element | true | undefined>;

  export interface Component {
    status: string;
    jid: { toString(): string } | null;
    iqCallee: {
      get(ns: string, name: string, handler: ComponentIqHandler): void;
      set(ns: string, name: string, handler: ComponentIqHandler): void;
    };
    iqCaller: { request(stanza: Element, timeoutMs?: number): Promise<Element> };
    reconnect: { stop(): void };
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(stanza: Element): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'online', listener: (jid: unknown) => void): this;
    on(event: 'stanza', listener: (stanza: Element) => void): this;
    on(event: 'offline' | 'disconnect', listener: (...args: unknown[]) => void): this;
  }

  export function component(options: { service: string; domain: string; password: string }): Component;
  /** The xml() of @xmpp/xml 0.13 that the component's own packages check Elements against (instanceof). */
  export function xml(name: string, attrs?: Record<string, string | number | undefined> | null, ...children: (Element | string)[]): Element;
}

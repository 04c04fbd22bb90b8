import type { BareJid, FullJid } from './jid';

/** Connection state as the user sees it. */
export type ConnectionState =
  | 'offline'
  | 'connecting'
  | 'online'
  | 'reconnecting'
  | 'failed';

export type Show = 'chat' | 'available' | 'away' | 'xa' | 'dnd';

export interface LoginArgs {
  jid: string;
  password: string;
  /** xmpp://host:port (STARTTLS) or xmpps://host:port (direct TLS); default: from the JID's domain. */
  service?: string;
  resource?: string;
  /** Only honoured for loopback services. */
  allowPlaintext?: boolean;
  /** Keep the credentials (Electron host: safeStorage). */
  remember?: boolean;
}

export interface SessionSnapshot {
  state: ConnectionState;
  jid: FullJid | null;
  /** Why the last attempt failed or the connection dropped; null when nothing went wrong. */
  error: WireErrorShape | null;
  /** Milliseconds until the next reconnect attempt, when state is 'reconnecting'. */
  retryInMs: number | null;
  /** Whether the transport is encrypted. */
  isSecure: boolean;
}

export interface WireErrorShape {
  code: string;
  message: string;
}

export interface ResourcePresence {
  resource: string;
  show: Show;
  status: string;
  priority: number;
}

export type Subscription = 'none' | 'to' | 'from' | 'both' | 'remove';

export interface RosterItem {
  jid: BareJid;
  name: string;
  subscription: Subscription;
  /** An outgoing subscription request is pending (ask="subscribe"). */
  isPending: boolean;
  groups: string[];
  /** Online resources; empty when offline. */
  resources: ResourcePresence[];
}

export interface SubscriptionRequest {
  jid: BareJid;
}

export interface ChatMessage {
  id: string;
  /** The contact this message belongs to (the peer, whichever way it went). */
  peer: BareJid;
  direction: 'incoming' | 'outgoing';
  from: string;
  body: string;
  /** ms since epoch */
  at: number;
  /**
   * Outgoing only: when the peer's XEP-0184 receipt arrived (ms since epoch), null while none has.
   * Absent on incoming messages and from hosts that predate receipts.
   */
  deliveredAt?: number | null;
}

/** XEP-0085 chat states, as they cross the contract. */
export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

export interface ServerIdentity {
  category: string;
  type: string;
  name: string;
}

export interface ServiceInfo {
  jid: string;
  identities: ServerIdentity[];
  features: string[];
}

export interface ServerInfo {
  domain: string;
  identities: ServerIdentity[];
  features: string[];
  /** XEP-0065 proxies found through disco#items (identity proxy/bytestreams). */
  proxies: { jid: string; host: string; port: number }[];
  /** XEP-0363 upload services (feature urn:xmpp:http:upload:0), with their max file size when given. */
  uploadServices: { jid: string; maxFileSize: number | null }[];
  items: ServiceInfo[];
}

export interface PeerFeatures {
  jid: string;
  features: string[];
  identities: ServerIdentity[];
}

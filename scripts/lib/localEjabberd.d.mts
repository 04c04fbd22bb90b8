export declare const DOMAIN: 'localhost';
export declare const PROXY_JID: 'proxy.localhost';
export declare const UPLOAD_JID: 'upload.localhost';
export declare const DEFAULT_SHAPER: { rate: number; burstSize: number };
export declare function isEjabberdInstalled(): boolean;
import type { ProsodyOptions } from './localProsody.mjs';

/** The same options as the Prosody harness (its log levels aside), plus ejabberd's shaper and upload switch. */
export interface EjabberdOptions extends Omit<ProsodyOptions, 'logLevel'> {
  logLevel?: 'debug' | 'info' | 'warning' | 'error';
  /** The client shaper: 'default' is ejabberd.yml's 3000 B/s (burst 20000); 'none' turns it off. */
  shaper?: 'default' | 'none' | { rate: number; burstSize?: number };
  /** Also run mod_http_upload on ports.http (default true). */
  upload?: boolean;
}
export interface LocalEjabberd {
  dir: string;
  domain: string;
  proxyJid: string;
  uploadJid: string;
  ports: { c2s: number; http: number; proxy65: number; dist: number };
  caPath: string;
  configPath: string;
  /** The Erlang node name, ferry-test-<random>@localhost. */
  node: string;
  readonly pid: number | null;
  /** xmpp://127.0.0.1:port (STARTTLS offered unless offerTls is false) */
  service: string;
  register(user: string, password: string): Promise<void>;
  /** Runs ejabberdctl against this node; resolves with its stdout. */
  ctl(...args: string[]): Promise<string>;
  log(): string;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}
export declare function startEjabberd(options?: EjabberdOptions): Promise<LocalEjabberd>;

export declare const DOMAIN: 'localhost';
export declare const PROXY_JID: 'proxy.localhost';
export declare const UPLOAD_JID: 'upload.localhost';
export declare function isProsodyInstalled(): boolean;
export declare function freePort(host?: string): Promise<number>;
export declare function makeServerCertificate(dir: string, ca: { caPath: string; keyPath: string }): { caPath: string; certPath: string; keyPath: string };
export declare function waitForPort(port: number, timeoutMs?: number, host?: string): Promise<void>;
export interface ProsodyOptions {
  accounts?: [string, string][];
  friends?: [string, string][];
  requireEncryption?: boolean;
  offerTls?: boolean;
  ca?: { caPath: string; keyPath: string };
  uploadSizeLimit?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** XEP-0114 external components: `Component "<jid>"` with `component_secret`, all on ports.component (127.0.0.1). */
  components?: { jid: string; secret: string }[];
  /** mod_mam and mod_carbons (XEP-0313 archive, XEP-0280 carbons); default off. */
  archive?: boolean;
}
export interface LocalProsody {
  dir: string;
  domain: string;
  proxyJid: string;
  uploadJid: string;
  /** component is there only when options.components was not empty. */
  ports: { c2s: number; directTls: number; http: number; proxy65: number; component?: number };
  caPath: string;
  configPath: string;
  readonly pid: number | null;
  /** xmpp://127.0.0.1:port (STARTTLS offered, plaintext allowed unless requireEncryption) */
  service: string;
  /** xmpps://127.0.0.1:port (direct TLS) */
  directTlsService: string;
  register(user: string, password: string): void;
  log(): string;
  restart(downMs?: number): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}
export declare function ensureTestCa(dir: string): { caPath: string; keyPath: string };
export declare function startProsody(options?: ProsodyOptions): Promise<LocalProsody>;

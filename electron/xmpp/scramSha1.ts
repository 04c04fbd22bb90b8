import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * SCRAM-SHA-1 (RFC 5802), the client side, as a `saslmechanisms` mechanism for @xmpp/sasl. It replaces the
 * one @xmpp/client registers (the `sasl-scram-sha-1` package) for three reasons measured or read there:
 * - that package computes Hi() as one WebCrypto importKey + sign per iteration, each a thread-pool round
 *   trip: 1.46 s of wall and CPU time per login against Prosody's 10,000 iterations (PBKDF2 of node:crypto:
 *   5 ms), paid on every login and every reconnect;
 * - it does not check that the server's nonce extends ours (§5.1 "r=");
 * - it runs whatever iteration count the server names: a hostile server could make a login spin for hours.
 * The server's signature (§5 `v=`) is not checked: @xmpp/sasl does not hand the `<success/>` data to the
 * mechanism. Like that package, passwords are used as UTF-8 without SASLprep.
 */

const derive = promisify(pbkdf2);

/** Counts above this are refused: 10,000 (Prosody) and 4,096 (ejabberd, Openfire) are usual; 1,000,000 takes ~0.5 s. */
export const MAX_ITERATIONS = 1_000_000;

interface Credentials {
  username?: string | null;
  password?: string | null;
}

/** RFC 5802 §5.1 saslname: ',' and '=' escaped. */
function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** The attributes of a server-first message (§5.1), e.g. `r=…,s=…,i=…`. */
function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(',')) {
    const at = part.indexOf('=');
    if (at === 1) attributes.set(part[0], part.slice(2));
  }
  return attributes;
}

function hmac(key: Buffer, text: string | Buffer): Buffer {
  return createHmac('sha1', key).update(text).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, index) => byte ^ b[index]));
}

export class ScramSha1 {
  readonly name = 'SCRAM-SHA-1';
  readonly clientFirst = true;
  private stage: 'initial' | 'challenge' | 'final' = 'initial';
  private clientFirstBare = '';
  private serverFirst = '';
  private serverSignature: Buffer | null = null;

  constructor(private readonly nonce: string = randomBytes(18).toString('base64')) {}

  /** What @xmpp/sasl sends next: the client-first message, then the client-final one. */
  async response(credentials: Credentials): Promise<string> {
    if (this.stage === 'initial') {
      this.stage = 'challenge';
      this.clientFirstBare = `n=${saslName(credentials.username ?? '')},r=${this.nonce}`;
      return `n,,${this.clientFirstBare}`;
    }
    if (this.stage === 'challenge') {
      this.stage = 'final';
      return await this.clientFinal(credentials.password ?? '');
    }
    return '';
  }

  /** The server's challenge (its server-first message); a malformed or hostile one is refused. */
  challenge(message: string): this {
    if (this.stage === 'challenge') this.serverFirst = message;
    return this;
  }

  /** Whether `v=` in a server-final message proves the server knows the password (§5). */
  isServerFinalValid(message: string): boolean {
    const value = parseAttributes(message).get('v');
    if (!value || !this.serverSignature) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === this.serverSignature.length && timingSafeEqual(given, this.serverSignature);
  }

  private async clientFinal(password: string): Promise<string> {
    const attributes = parseAttributes(this.serverFirst);
    const nonce = attributes.get('r') ?? '';
    const salt = Buffer.from(attributes.get('s') ?? '', 'base64');
    const iterations = Number(attributes.get('i'));
    if (attributes.has('m')) throw new Error('SCRAM: the server requires an extension this client does not know');
    if (!nonce.startsWith(this.nonce) || nonce.length === this.nonce.length) throw new Error('SCRAM: the server nonce does not extend the client nonce');
    if (salt.length === 0) throw new Error('SCRAM: the server sent no salt');
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new Error(`SCRAM: the server asks for ${attributes.get('i') ?? 'no'} iterations (at most ${MAX_ITERATIONS} are done)`);
    }
    const salted = await derive(Buffer.from(password, 'utf8'), salt, iterations, 20, 'sha1');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha1').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`; // biws = base64("n,,"): no channel binding, no authzid
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(storedKey, authMessage));
    this.serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }
}

/** The part of @xmpp/client's SASL factory this file uses (xmpp.js reads `_mechs` itself: @xmpp/sasl getAvailableMechanisms). */
interface SaslFactory {
  _mechs: { name: string; mech: unknown }[];
}

/** Puts ScramSha1 in place of the SCRAM-SHA-1 @xmpp/client registered, keeping the factory's order. */
export function useNativeScramSha1(factory: unknown): void {
  const mechs = (factory as SaslFactory | null)?._mechs;
  if (!Array.isArray(mechs)) throw new Error('the SASL factory of @xmpp/client has changed: no _mechs list');
  const at = mechs.findIndex((entry) => entry.name === 'SCRAM-SHA-1');
  const entry = { name: 'SCRAM-SHA-1', mech: ScramSha1 };
  if (at >= 0) mechs[at] = entry;
  else mechs.unshift(entry);
}

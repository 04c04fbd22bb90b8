// sasl-scram-sha-1 1.3 (what @xmpp/client registers by default) ships no types: the part the oracle test uses.
declare module 'sasl-scram-sha-1' {
  interface Credentials {
    username?: string | null;
    password?: string | null;
  }
  export default class Mechanism {
    constructor(options?: { genNonce?: () => string });
    response(credentials: Credentials): string | Promise<string>;
    challenge(message: string): this;
  }
}

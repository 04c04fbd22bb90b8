import type { Element } from '@xmpp/xml';
import { parseJid, toBareJid } from '../../shared/model/jid';
import type { ChatService } from './chat';
import type { DiscoService } from './disco';
import type { XmppSession } from './session';
import { NS_CARBONS, buildEnableCarbons, isCarbon, readCarbon } from './xep/xep0280Carbons';

/** What carbons need around them. */
export interface CarbonsDeps {
  session: XmppSession;
  disco: Pick<DiscoService, 'queryInfo'>;
  chat: Pick<ChatService, 'ingest'>;
  log?: (line: string) => void;
}

/**
 * XEP-0280 for the session: enables carbons on every login when the server advertises them, and records
 * the copies: a `<received/>` carbon as an incoming message, a `<sent/>` one (sent from another device of
 * the account) as outgoing. A carbon not from the account's own bare JID is ignored and logged (§11).
 */
export class CarbonsService {
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: CarbonsDeps) {
    this.disposers.push(
      deps.session.onMessage((stanza) => this.onMessage(stanza)),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state === 'online') void this.enable();
      }),
    );
  }

  /** Unsubscribes. Idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private async enable(): Promise<void> {
    const { session, disco, log } = this.deps;
    const domain = session.jid ? parseJid(session.jid)?.domain : undefined;
    if (!domain) return;
    try {
      const info = await disco.queryInfo(domain);
      if (!info.features.includes(NS_CARBONS)) return void log?.('the server does not offer message carbons (XEP-0280)');
      await session.request(buildEnableCarbons());
      log?.('message carbons enabled (XEP-0280)');
    } catch (error) {
      log?.(`message carbons could not be enabled: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onMessage(stanza: Element): void {
    const own = this.deps.session.jid;
    if (!own || !isCarbon(stanza)) return;
    const carbon = readCarbon(stanza, toBareJid(own));
    if (!carbon.ok) return void this.deps.log?.(`carbon ignored: ${carbon.error.text ?? carbon.error.condition}`);
    const { direction, message, stamp } = carbon.value;
    this.deps.chat.ingest(message, { direction: direction === 'sent' ? 'outgoing' : 'incoming', stamp });
  }
}

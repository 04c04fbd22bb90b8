import type { Element } from '@xmpp/xml';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatService } from './chat';
import type { XmppSession } from './session';
import { readReceipt, receiptFor } from './xep/xep0184Receipts';
import { isCarbon, readCarbon } from './xep/xep0280Carbons';

/** What receipts need around them. */
export interface ReceiptsDeps {
  session: Pick<XmppSession, 'jid' | 'send' | 'onMessage'>;
  chat: Pick<ChatService, 'markDelivered'>;
  /**
   * Whether this contact may know we are online: receipts are answered only then (XEP-0184 §8, Security
   * Considerations: a recipient SHOULD NOT return receipts to senders not authorized to view its presence).
   */
  maySeePresence: (peer: BareJid) => boolean;
  log?: (line: string) => void;
}

/**
 * XEP-0184 for the session. Requests are added by ChatService.send; this answers the requests of incoming
 * messages and marks outgoing ones delivered. A copy never answers anything: carbons and archive results come
 * wrapped (XEP-0280, XEP-0313; §5.5, Archived Messages: no receipt when viewing stored messages; XEP-0280 §10.4:
 * carbon copies are never auto-replied to, the device that got the original answers). One copy marks: a
 * `<received/>` carbon (from the account's bare JID, XEP-0280 §11) of a peer's receipt for a message our other
 * device sent (XEP-0280 §6: a chat-type receipt is copied), marked like a direct receipt. A `<sent/>` carbon of
 * a receipt (our other device acknowledged the peer) marks nothing; archived receipts are not read.
 */
export class ReceiptsService {
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: ReceiptsDeps) {
    this.disposers.push(deps.session.onMessage((stanza) => this.onMessage(stanza)));
  }

  /** Unsubscribes. Idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private onMessage(stanza: Element): void {
    if (isCarbon(stanza)) return this.onCarbon(stanza);
    const receipt = readReceipt(stanza);
    if (receipt && parseJid(receipt.from)) void this.markDelivered(receipt);
    const answer = receiptFor(stanza);
    if (!answer) return;
    const from = String(stanza.attrs.from);
    if (!parseJid(from) || !this.deps.maySeePresence(toBareJid(from))) return;
    // §5.2: the ack carries the received element only, and the same type as the message (a good practice).
    answer.attrs.type = stanza.attrs.type ?? 'normal';
    this.deps.session.send(answer).catch((error: unknown) => this.deps.log?.(`a delivery receipt could not be sent: ${String(error)}`));
  }

  /** A peer's receipt copied to us marks our other device's message; a carbon is never answered (CarbonsService logs forged ones). */
  private onCarbon(stanza: Element): void {
    const own = this.deps.session.jid;
    const carbon = own ? readCarbon(stanza, toBareJid(own)) : null;
    if (!carbon?.ok || carbon.value.direction !== 'received') return;
    const receipt = readReceipt(carbon.value.message);
    if (receipt && parseJid(receipt.from)) void this.markDelivered(receipt);
  }

  private async markDelivered(receipt: { id: string; from: string }): Promise<void> {
    // The receipt's sender names the conversation: a third party's receipt finds no message of its own to mark (§8).
    const isMarked = await this.deps.chat.markDelivered(toBareJid(receipt.from), receipt.id);
    if (!isMarked) this.deps.log?.(`receipt for an unknown or already delivered message ignored (from ${receipt.from})`);
  }
}

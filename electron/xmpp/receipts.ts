import type { Element } from '@xmpp/xml';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatService } from './chat';
import type { XmppSession } from './session';
import { readReceipt, receiptFor } from './xep/xep0184Receipts';

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
 * messages and marks outgoing ones delivered. Only stanzas that arrive straight from their sender count:
 * carbons and archive results come wrapped (XEP-0280, XEP-0313), so a copy never answers or marks anything
 * (§5.5, Archived Messages: no receipt when viewing stored messages).
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

  private async markDelivered(receipt: { id: string; from: string }): Promise<void> {
    // The receipt's sender names the conversation: a third party's receipt finds no message of its own to mark (§8).
    const isMarked = await this.deps.chat.markDelivered(toBareJid(receipt.from), receipt.id);
    if (!isMarked) this.deps.log?.(`receipt for an unknown or already delivered message ignored (from ${receipt.from})`);
  }
}

import xml, { type Element } from '@xmpp/xml';

/**
 * Ferry's own "did the file come through the OneTeam proxy" notice. Seed 000 gives the sender no way to learn
 * whether the receiver's GET worked (the POST's answer only says the proxy has the file), so a Ferry receiver
 * tells its sender:
 *   <message to=sender><ferry-oneteam-receipt xmlns='urn:ferry:transfer:oneteam:0' sid='…' outcome='done|failed'>reason</…></message>
 * On 'failed' the sender goes on to its next transport (plain SOCKS5 via the same proxy, then IBB). Any other
 * client ignores the unknown payload (RFC 6121 §8.4); its sender then ends "uploaded, not confirmed". Only
 * honoured from the transfer's own peer, like ferryCancel.ts.
 */
export const NS_FERRY_ONETEAM_RECEIPT = 'urn:ferry:transfer:oneteam:0';
const MAX_REASON_CHARS = 300;

/** What the receiver says about its download. */
export interface OneteamReceipt {
  sid: string;
  outcome: 'done' | 'failed';
  reason: string;
}

export function buildOneteamReceipt(to: string, receipt: OneteamReceipt): Element {
  return xml('message', { to }, xml('ferry-oneteam-receipt', { xmlns: NS_FERRY_ONETEAM_RECEIPT, sid: receipt.sid, outcome: receipt.outcome },
    receipt.reason.slice(0, MAX_REASON_CHARS)));
}

/** The receipt in a message, or null. */
export function parseOneteamReceipt(message: Element): OneteamReceipt | null {
  if (message.attrs.type === 'error') return null;
  const child = message.getChild('ferry-oneteam-receipt', NS_FERRY_ONETEAM_RECEIPT);
  const { sid, outcome } = child?.attrs ?? {};
  if (typeof sid !== 'string' || sid.length === 0 || sid.length > 128 || (outcome !== 'done' && outcome !== 'failed')) return null;
  return { sid, outcome, reason: child!.text().slice(0, MAX_REASON_CHARS) };
}

/** Where a sender waits for its receiver's receipt; the SI method delivers them by (sid, peer). */
export interface OneteamReceiptInbox {
  /** Starts listening (before the upload: the receipt may beat the POST's answer); dispose stops. */
  listen(): { receipt: Promise<OneteamReceipt>; dispose(): void };
}

/** An inbox plus the delivery side for the router. */
export function createReceiptInbox(): OneteamReceiptInbox & { deliver(receipt: OneteamReceipt): void } {
  let waiter: ((receipt: OneteamReceipt) => void) | null = null;
  return {
    deliver: (receipt) => waiter?.(receipt),
    listen() {
      const receipt = new Promise<OneteamReceipt>((resolve) => { waiter = resolve; });
      return { receipt, dispose: () => { waiter = null; } };
    },
  };
}

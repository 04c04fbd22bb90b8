/**
 * XEP-0261 Jingle In-Band Bytestreams Transport Method 1.0 (https://xmpp.org/extensions/xep-0261.html): the
 * block-size negotiation, in session-accept (§2.2) or in transport-accept after a transport-replace (XEP-0260
 * §3). The responder may answer a smaller block-size, never a larger one; the initiator takes a smaller answer
 * and refuses a larger one. Limits from XEP-0047 2.0.1 (https://xmpp.org/extensions/xep-0047.html).
 */

/** XEP-0047 §2.1: the block-size "MUST NOT be greater than 65535". */
export const IBB_MAX_BLOCK_SIZE = 65535;

/** The initiator's check of the responder's block-size. */
export type BlockSizeAnswer =
  | { ok: true; blockSize: number }
  | { ok: false; problem: 'larger-than-offered' | 'out-of-range'; reason: 'failed-transport' };

function isValidBlockSize(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= IBB_MAX_BLOCK_SIZE;
}

/**
 * The responder's answer: the offer, or our own limit when that is smaller.
 *
 * XEP-0261 §2.2: "If the responder wishes to use a smaller block-size, the responder can specify that in the
 * session-accept by returning a different value for the 'block-size' attribute." XEP-0260 §3: "If the responder
 * wishes to use a smaller block size than the one specified in the transport-replace offer, this can be done by
 * specifying a block-size attribute in the transport-accept action."
 */
export function answerBlockSize(options: { offered: number; localMax: number }): number {
  const localMax = Math.max(1, Math.min(IBB_MAX_BLOCK_SIZE, Math.trunc(options.localMax)));
  return Math.min(options.offered, localMax);
}

/**
 * The initiator's check of the block-size in the responder's session-accept or transport-accept. Absent: the
 * offer stands. Smaller: taken; the `<open/>` then uses it (§2.2: "if the recipient sent a modified <transport/>
 * element element containing a different block size, the initiator MUST use the negotiated values"). Larger:
 * refused; the XEPs allow only a smaller answer, and blocks above our offer may not fit what we can send
 * (a server's stanza limit, DESIGN.md). The caller acknowledges the action and terminates with `reason`.
 */
export function checkAnsweredBlockSize(options: { offered: number; answered: number | null }): BlockSizeAnswer {
  const { offered, answered } = options;
  if (answered === null) return { ok: true, blockSize: offered };
  if (!isValidBlockSize(answered)) return { ok: false, problem: 'out-of-range', reason: 'failed-transport' };
  if (answered > offered) return { ok: false, problem: 'larger-than-offered', reason: 'failed-transport' };
  return { ok: true, blockSize: answered };
}

/**
 * The responder's check of the initiator's IBB `<open/>` against the negotiated block-size.
 *
 * XEP-0261 §2.2: "if the value of the IBB 'block-size' attribute sent by the initiator in the <open/> element
 * does not match the value of the 'block-size' attribute communicated by the responder in the Jingle
 * session-accept message then the responder SHOULD return a <resource-constraint/> error".
 */
export function openMatchesNegotiated(options: { negotiated: number; opened: number }): boolean {
  return options.opened === options.negotiated;
}

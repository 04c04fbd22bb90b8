import type { Hash } from '../xmpp/xep/xep0300Hashes';
import { hexToBase64 } from '../xmpp/xep/xep0300Hashes';
import type { ExpectedFile, ExpectedOffers } from './expectedOffers';
import type { PeerCandidate } from './methods/methodTable';
import type { TransferMethod } from './methods/types';
import type { TransferXmpp } from './ports';

/** After the sender said it offers the file anew, how long Resume waits for that offer before it answers. */
const REOFFER_WAIT_MS = 30_000;

/** How asking for a file again ended. */
export type RequestAgainOutcome =
  /** No online resource of the sender can be asked (none advertises a method with requests): nothing was sent. */
  | { kind: 'unavailable' }
  /** The sender's client was asked and will not send it (detail says how it answered). */
  | { kind: 'refused'; detail: string }
  /** The sender offers it anew: `transferId` is the accepted offer, null when it had not come within REOFFER_WAIT_MS. */
  | { kind: 'reoffered'; transferId: string | null };

interface RequestAgainDeps {
  methods: readonly TransferMethod[];
  peerCandidates(to: string): Promise<PeerCandidate[]>;
  xmpp: TransferXmpp;
  ownJid: string;
  expected: ExpectedOffers;
}

/** The whole-file hash to name the file by: sha-256 when known, else md5 (XEP-0300 names both). */
function selectorHashes(file: ExpectedFile): Hash[] {
  if (file.sha256) return [{ algo: 'sha-256', base64: hexToBase64(file.sha256) }];
  return file.md5 ? [{ algo: 'md5', base64: hexToBase64(file.md5) }] : [];
}

/**
 * Asks the sender of an interrupted incoming file for it again, from `offset` (XEP-0234 §6.2 + §7), through the
 * best method that can request (Jingle) at an online resource of the sender's bare JID that advertises it. While
 * the request runs, and for a while after, the sender's new offer of that file is awaited (expectedOffers.ts) and
 * taken without a prompt.
 */
export async function requestAgain(deps: RequestAgainDeps, file: ExpectedFile, offset: number): Promise<RequestAgainOutcome> {
  const candidates = await deps.peerCandidates(file.from).catch((): PeerCandidate[] => []);
  const methods = deps.methods.filter((m) => m.requestFile).sort((a, b) => b.priority - a.priority);
  const pick = methods.flatMap((method) => candidates
    .filter((c) => c.features !== null && method.canSend(new Set(c.features)))
    .map((c) => ({ method, target: c.jid })))[0];
  if (!pick) return { kind: 'unavailable' };
  const waiting = deps.expected.expect(file);
  const outcome = await pick.method.requestFile!({
    xmpp: deps.xmpp, ownJid: deps.ownJid, target: pick.target,
    selector: { name: file.name, size: file.size, hashes: selectorHashes(file), offset },
  });
  if (outcome.kind === 'refused') {
    waiting.dispose();
    return outcome;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), REOFFER_WAIT_MS); timer.unref(); });
  const transferId = await Promise.race([waiting.claimed, late]);
  clearTimeout(timer);
  return { kind: 'reoffered', transferId };
}

import { FerryError } from '../../../shared/ipc/wireError';
import type { PeerMethodName, TransferMethod } from './types';

/** What the user or caller asked for: `auto` lets the table decide (CLI `--method`). */
export type MethodChoice = 'auto' | PeerMethodName;

/** One online resource of the peer and what it advertises; null features when its disco#info failed. */
export interface PeerCandidate {
  jid: string;
  features: readonly string[] | null;
}

/** The method chosen for a file, where it goes, and why (for the attempt log). */
export interface MethodPick {
  method: TransferMethod;
  target: string;
  why: string;
}

/** The method used when a peer's features are unknown: SI needs nothing announced to be tried (Spark, Smack). */
const WHEN_FEATURES_UNKNOWN: PeerMethodName = 'si';

/** How to choose: the user's choice, and whether a resource named by full JID may get an unadvertised method. */
export interface ChoiceOptions {
  choice: MethodChoice;
  /**
   * The user named one resource (a full JID): when it advertises nothing that fits, still try the asked
   * method, or SI for auto (older clients speak it without announcing it; slixmpp does not announce it).
   */
  isExplicitResource: boolean;
  /** The user's preferred order of method names (settings); methods it names come first, in that order. Default: by priority. */
  order?: readonly string[];
}

/** A sort key, lower first: the place in the user's order when it names the method, else after those by priority. */
export function methodRank(method: { name: string; priority: number }, order: readonly string[] | undefined): number {
  const index = order ? order.indexOf(method.name) : -1;
  return index >= 0 ? index - 1_000_000 : -method.priority;
}

/**
 * Method choice as data (DESIGN.md "Methods"): over every candidate resource, the best method its features
 * allow, by priority (Jingle FT :5 > SI) or the user's order; a forced method only where it is allowed. Throws a FerryError that
 * says what the peer does advertise when nothing fits.
 */
export function chooseMethod(methods: readonly TransferMethod[], candidates: readonly PeerCandidate[], options: ChoiceOptions): MethodPick {
  const { choice } = options;
  const rank = (m: TransferMethod): number => methodRank(m, options.order);
  const allowed = methods.filter((m) => choice === 'auto' || m.name === choice).sort((a, b) => rank(a) - rank(b));
  if (allowed.length === 0) throw new FerryError('bad-request', `method ${choice} is not available`);
  let best: MethodPick | null = null;
  for (const candidate of candidates) {
    const pick = pickFor(allowed, candidate, choice, options.order !== undefined);
    if (pick && (!best || rank(pick.method) < rank(best.method))) best = pick;
  }
  if (best) return best;
  const unadvertised = options.isExplicitResource && candidates.length === 1
    ? allowed.find((m) => m.name === (choice === 'auto' ? WHEN_FEATURES_UNKNOWN : choice)) : undefined;
  if (unadvertised) {
    const jid = candidates[0]!.jid;
    return { method: unadvertised, target: jid, why: `${jid} advertises no file-transfer method that fits: trying ${unadvertised.name} anyway` };
  }
  const names = allowed.map((m) => m.name).join(' or ');
  throw new FerryError('bad-request', candidates.length === 1
    ? `${candidates[0]!.jid} does not advertise ${names} file transfer`
    : `no online resource advertises ${names} file transfer`);
}

function pickFor(allowed: readonly TransferMethod[], candidate: PeerCandidate, choice: MethodChoice, isOrdered: boolean): MethodPick | null {
  if (candidate.features === null) {
    const method = choice === 'auto' ? allowed.find((m) => m.name === WHEN_FEATURES_UNKNOWN) : allowed[0];
    return method ? { method, target: candidate.jid, why: `${candidate.jid} did not answer disco#info: trying ${method.name}` } : null;
  }
  const features = new Set(candidate.features);
  const method = allowed.find((m) => m.canSend(features));
  if (!method) return null;
  const why = choice === 'auto' ? `${method.describe(features)} (${isOrdered ? 'first in your preferred order' : 'best'} of what it advertises)` : `${method.name} as asked; ${method.describe(features)}`;
  return { method, target: candidate.jid, why };
}

/**
 * XEP-0260 Jingle SOCKS5 Bytestreams Transport Method 1.0.3 (https://xmpp.org/extensions/xep-0260.html) as pure
 * logic: our candidates and their priorities (§2.2), which of the peer's candidates are still worth trying
 * (§2.3), the nominated candidate once both sides reported (§2.4), who activates a proxy (§2.4), and what a
 * failure leads to (§2.4 proxy-error, §3 fallback). Sockets and stanzas live elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { JingleRole } from './sessionTypes';
import { candidatePriority, type S5bCandidate } from '../../../xmpp/xep/xep0260JingleS5b';

export type { S5bCandidate } from '../../../xmpp/xep/xep0260JingleS5b';

/** §2.2: "The value of the local preference SHOULD be between 0 and 65535." */
const MAX_LOCAL_PREFERENCE = 65535;
/** How far below the sender's the file receiver ranks its own candidates (localCandidates). Room for 1024 addresses. */
export const RECEIVER_PREFERENCE_OFFSET = 1024;

/** A SOCKS5 proxy (XEP-0065 streamhost) we may offer. */
export interface ProxyStreamhost {
  jid: string;
  host: string;
  port: number;
}

/** What one side reported about the other side's candidates (§2.3). */
export type CandidateReport = { kind: 'candidate-used'; cid: string } | { kind: 'candidate-error' };

/** What to do when S5B gave up (§3). */
export type FallbackStep = 'send-transport-replace' | 'await-transport-replace';

/** The outcome of the negotiation so far. */
export type Nomination =
  | { kind: 'pending'; waitingFor: 'local' | 'remote' | 'both' }
  | {
    kind: 'nominated';
    candidate: S5bCandidate;
    /** Who offered the nominated candidate. */
    owner: 'local' | 'remote';
    /** Proxy candidates only: activate it ourselves, or wait for the peer's `activated`. */
    proxy: 'none' | 'activate' | 'await-activated';
  }
  | { kind: 'fallback'; cause: 'both-candidate-error' | 'unknown-cid' | 'proxy-error'; next: FallbackStep };

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host.toLowerCase() === '::ffff:127.0.0.1';
}

function defaultCid(): string {
  return randomBytes(6).toString('hex');
}

function sameEndpoint(a: { host: string; port: number }, b: { host: string; port: number }): boolean {
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/**
 * Our candidates, best first: one direct candidate per address (IPv4 and IPv6 in the order given, local
 * preference descending from 65535, loopback addresses below every other address), then one proxy candidate
 * per proxy (local preference descending the same way). Duplicates are dropped.
 *
 * §2.2, for the responder: "the responder MUST NOT offer as a candidate any host/port combination that has
 * already been offered by the initiator": pass the initiator's candidates as `peerCandidates`.
 * `makeCid` is for tests; the default is 48 random bits in hex.
 *
 * The file's receiver ranks its own candidates RECEIVER_PREFERENCE_OFFSET below the usual local preference
 * (the local preference is each side's own policy, XEP-0260 §2.1): when both sides can connect, the sender's
 * candidate wins (§2.4 rule 3) and the bytes arrive on the socket the receiver opened itself, which reads
 * straight into shared memory (transport/socketRing.ts). On equal priority the initiator's choice would win
 * (rule 4): the receiver's own listener, whose accepted sockets Node can only read into a fresh buffer per read
 * (about one CPU-second more per GiB in bench/ "Jingle S5B direct").
 */
export function localCandidates(options: {
  directAddresses: readonly string[];
  port: number;
  proxies: readonly ProxyStreamhost[];
  ownJid: string;
  peerCandidates?: readonly { host: string; port: number }[];
  /** We receive the file (see above). */
  receivesFile?: boolean;
  makeCid?: () => string;
}): S5bCandidate[] {
  const makeCid = options.makeCid ?? defaultCid;
  const best = MAX_LOCAL_PREFERENCE - (options.receivesFile ? RECEIVER_PREFERENCE_OFFSET : 0);
  const taken: { host: string; port: number }[] = [...(options.peerCandidates ?? [])];
  const keep = (endpoint: { host: string; port: number }): boolean => {
    if (taken.some((other) => sameEndpoint(other, endpoint))) return false;
    taken.push(endpoint);
    return true;
  };
  const addresses = [...options.directAddresses.filter((host) => !isLoopback(host)), ...options.directAddresses.filter(isLoopback)]
    .filter((host) => keep({ host, port: options.port }));
  const direct = addresses.map((host, index): S5bCandidate => ({
    cid: makeCid(), host, port: options.port, jid: options.ownJid, type: 'direct',
    priority: candidatePriority('direct', best - index),
  }));
  const proxies = options.proxies.filter(keep).map((proxy, index): S5bCandidate => ({
    cid: makeCid(), host: proxy.host, port: proxy.port, jid: proxy.jid, type: 'proxy',
    priority: candidatePriority('proxy', best - index),
  }));
  return [...direct, ...proxies];
}

/**
 * §2.3: "If a client receives a candidate-used notification it SHOULD continue trying to connect to candidates
 * sent by its peer if it has not tried all candidates with a higher priority than the one successfully used by
 * the peer." Equal priority is still worth it for the initiator, whose choice wins a tie (§2.4), and not for
 * the responder. Empty: stop and send candidate-error ("if it stopped trying to connect because its peer sent a
 * candidate-used notification with a priority higher than its remaining candidate(s)").
 */
export function candidatesWorthTrying(options: {
  role: JingleRole;
  untried: readonly S5bCandidate[];
  peerUsedPriority: number;
}): S5bCandidate[] {
  const { role, peerUsedPriority } = options;
  return options.untried
    .filter((candidate) => (role === 'initiator' ? candidate.priority >= peerUsedPriority : candidate.priority > peerUsedPriority))
    .sort((a, b) => b.priority - a.priority);
}

/**
 * XEP-0260 §3: on S5B failure "The initiator MUST either terminate the Jingle session with a Jingle reason of
 * <connectivity-error/> or replace the transport with something else using the transport-replace action."
 * Ferry's initiator replaces with IBB (XEP-0261); the responder waits for that replace (its
 * transport-negotiation deadline in sessionState.ts covers an initiator that never sends one).
 */
export function fallbackStep(role: JingleRole): FallbackStep {
  return role === 'initiator' ? 'send-transport-replace' : 'await-transport-replace';
}

/**
 * §2.4: "If the nominated candidate is of the proxy type and either party cannot connect to the proxy ..., the
 * failing party shall send a transport-info message containing an <proxy-error/> element." and "The parties
 * shall then consider the bytestream unsuccessful and SHOULD attempt to fall back". For a proxy-error sent or
 * received alike.
 */
export function afterProxyError(role: JingleRole): Nomination {
  return { kind: 'fallback', cause: 'proxy-error', next: fallbackStep(role) };
}

/**
 * The nominated candidate once both sides reported (§2.4). Ours names one of the peer's candidates; theirs one
 * of ours:
 * 1. "If both parties send a candidate-error notification then the SOCKS5 negotiation has failed and the parties
 *    need to fall back to some other transport method"
 * 2. "If one of the parties sends a candidate-error notification and the other party sends a candidate-used
 *    notification, then the candidate-used shall be considered the nominated candidate."
 * 3. "If both parties send a candidate-used notification but the candidates have a different priority, then the
 *    candidate with the higher priority shall be considered the nominated candidate."
 * 4. "If both parties send a candidate-used notification with candidates having the same priority, then the
 *    candidate chosen by the initiator shall be considered the nominated candidate"
 * A candidate-used naming no candidate offered gives up S5B (cause unknown-cid) rather than guess.
 */
export function nominate(options: {
  role: JingleRole;
  local: readonly S5bCandidate[];
  remote: readonly S5bCandidate[];
  localReport: CandidateReport | null;
  remoteReport: CandidateReport | null;
}): Nomination {
  const { role, localReport, remoteReport } = options;
  if (localReport === null || remoteReport === null) {
    return { kind: 'pending', waitingFor: localReport === null && remoteReport === null ? 'both' : localReport === null ? 'local' : 'remote' };
  }
  const ours = used(localReport, options.remote);
  const theirs = used(remoteReport, options.local);
  if (ours === undefined || theirs === undefined) return { kind: 'fallback', cause: 'unknown-cid', next: fallbackStep(role) };
  const remote = ours === null ? null : { candidate: ours, owner: 'remote' as const };
  const local = theirs === null ? null : { candidate: theirs, owner: 'local' as const };
  const chosen = remote === null ? local : local === null ? remote : higher(role, remote, local);
  if (chosen === null) return { kind: 'fallback', cause: 'both-candidate-error', next: fallbackStep(role) };
  return { kind: 'nominated', ...chosen, proxy: proxyDuty(chosen.candidate, chosen.owner) };
}

/** The candidate a report names: null for candidate-error, undefined for a cid not in the list. */
function used(report: CandidateReport, offered: readonly S5bCandidate[]): S5bCandidate | null | undefined {
  if (report.kind === 'candidate-error') return null;
  return offered.find((candidate) => candidate.cid === report.cid);
}

interface Choice {
  candidate: S5bCandidate;
  owner: 'local' | 'remote';
}

/** Rules 3 and 4 of §2.4: the higher priority, and on equal priority the one the initiator used. */
function higher(role: JingleRole, remote: Choice, local: Choice): Choice {
  if (remote.candidate.priority !== local.candidate.priority) {
    return remote.candidate.priority > local.candidate.priority ? remote : local;
  }
  // The initiator's choice is a candidate the responder offered: remote to the initiator, local to the responder.
  return role === 'initiator' ? remote : local;
}

/**
 * §2.4: "if the nominated candidate is of the "proxy" type, then the peer has no way to know when it can send
 * data. Therefore the party that offered the nominated candidate MUST do two things": activate the bytestream at
 * the proxy (XEP-0065), then send transport-info `<activated cid/>`. (The §2.4 example shows the responder
 * activating the initiator's proxy candidate; the normative sentence and §2.2's dstaddr note, "the initiator will
 * be the entity that activates the bytestream at the proxy" for its own proxy candidates, both say the owner.)
 */
function proxyDuty(candidate: S5bCandidate, owner: 'local' | 'remote'): 'none' | 'activate' | 'await-activated' {
  if (candidate.type !== 'proxy') return 'none';
  return owner === 'local' ? 'activate' : 'await-activated';
}

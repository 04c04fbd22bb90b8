import { FerryError } from '../../../shared/ipc/wireError';
import { formatBytes } from '../../../shared/model/fileDisplay';
import { chooseMethod, methodRank, type PeerCandidate } from './methodTable';
import type { PeerMethodName, ServerMethod, ServerMethodName, TransferMethod, UploadServiceInfo } from './types';

/** What the user or caller asked for (CLI `--method`): `auto` lets the plan decide and fall back. */
export type SendChoice = 'auto' | PeerMethodName | ServerMethodName;

/** One way to try, in order: peer-to-peer to one resource, or an upload to one service with a link to the peer. */
export type PlanStep =
  | { kind: 'peer'; method: TransferMethod; target: string; why: string }
  | { kind: 'server'; method: ServerMethod; service: UploadServiceInfo; to: string; why: string };

/** A server method with the service it found (null when the server offers none). */
export interface ServerOption {
  method: ServerMethod;
  service: UploadServiceInfo | null;
}

export interface PlanInput {
  peerMethods: readonly TransferMethod[];
  serverOptions: readonly ServerOption[];
  /** The peer's online resources with their features; an Error when it has none (offline, unknown). */
  candidates: readonly PeerCandidate[] | Error;
  /** The peer's bare JID (where links go). */
  bareJid: string;
  isExplicitResource: boolean;
  choice: SendChoice;
  fileSize: number;
  /** The user's preferred order of methods (settings "methodOrder"), applied to `auto`; default: the table's priorities. */
  order?: readonly string[];
}

/** The steps for one file, best first, and why the others were left out (the first lines of the attempt log). */
export interface SendPlan {
  steps: PlanStep[];
  notes: string[];
}

const SERVER_METHODS: readonly SendChoice[] = ['http-upload', 'kontalk'];

/**
 * The method table's order (DESIGN.md "Methods"), per file: peer-to-peer first when the peer is online and a
 * method fits (Jingle, then SI), then the server's upload services by priority where the file fits under
 * their limit; a peer that is online but advertises nothing still gets SI after them (it speaks it unannounced,
 * or refuses). Each later step is a fallback for the one before. A forced choice is that method alone.
 * The user's order (`order`), when given, replaces that order for every method it names.
 * Throws a FerryError saying why nothing fits (the upload limit, in bytes and words, among the reasons).
 */
export function planSend(input: PlanInput): SendPlan {
  const notes: string[] = [];
  const peer = input.choice === 'auto' || !SERVER_METHODS.includes(input.choice) ? peerStep(input, notes) : null;
  const server = input.choice === 'auto' || SERVER_METHODS.includes(input.choice) ? serverSteps(input, notes) : [];
  // An advertised peer method takes its place in the order; a guessed one (nothing advertised) stays last.
  const ranked = [...(peer?.advertised ? [peer.step] : []), ...server];
  if (input.order) {
    const before = ranked.map((step) => step.method.name).join();
    ranked.sort((a, b) => methodRank(a.method, input.order) - methodRank(b.method, input.order));
    if (ranked.map((step) => step.method.name).join() !== before) notes.push(`in your preferred order of methods: ${input.order.join(', ')}`);
  }
  const steps: PlanStep[] = [...ranked, ...(peer && !peer.advertised ? [peer.step] : [])];
  if (steps.length === 0) throw new FerryError(isOffline(input) ? 'not-found' : 'bad-request', notes.join('; '));
  return { steps, notes };
}

function isOffline(input: PlanInput): boolean {
  return input.candidates instanceof Error || input.candidates.length === 0;
}

/** The peer-to-peer step, and whether the peer advertised its method (else it is tried last, unannounced). */
function peerStep(input: PlanInput, notes: string[]): { step: PlanStep; advertised: boolean } | null {
  if (input.candidates instanceof Error) { notes.push(input.candidates.message); return null; }
  const choice = input.choice === 'auto' ? 'auto' : (input.choice as PeerMethodName);
  const candidates = input.candidates;
  try {
    const pick = chooseMethod(input.peerMethods, candidates, { choice, isExplicitResource: input.isExplicitResource, order: input.order });
    return { step: { kind: 'peer', method: pick.method, target: pick.target, why: pick.why }, advertised: true };
  } catch (error) {
    notes.push((error as Error).message);
    if (choice !== 'auto' || candidates.length === 0) return null;
    const si = input.peerMethods.find((m) => m.name === 'si');
    const jid = candidates[0]!.jid;
    return si ? { step: { kind: 'peer', method: si, target: jid, why: `${jid} advertises no file-transfer method: trying si anyway` }, advertised: false } : null;
  }
}

function serverSteps(input: PlanInput, notes: string[]): PlanStep[] {
  const options = input.serverOptions
    .filter((o) => input.choice === 'auto' || o.method.name === input.choice)
    .sort((a, b) => methodRank(a.method, input.order) - methodRank(b.method, input.order));
  if (options.length === 0 && input.choice !== 'auto') notes.push(`method ${input.choice} is not available`);
  const steps: PlanStep[] = [];
  for (const { method, service } of options) {
    if (!service) {
      // Said only when it decides something: a forced method, or nothing else to try (planSend's error).
      if (input.choice !== 'auto' || isOffline(input)) notes.push(`the server offers no ${method.name} service`);
      continue;
    }
    if (service.maxFileSize !== null && input.fileSize > service.maxFileSize) {
      notes.push(`the file (${formatBytes(input.fileSize)}, ${input.fileSize} bytes) is over the upload limit of ${service.jid}: ${formatBytes(service.maxFileSize)} (${service.maxFileSize} bytes)`);
      continue;
    }
    const limit = service.maxFileSize === null ? 'no announced limit' : `limit ${formatBytes(service.maxFileSize)}`;
    steps.push({ kind: 'server', method, service, to: input.bareJid, why: `upload to ${service.jid} (${limit}) and send ${input.bareJid} the link` });
  }
  return steps;
}

/** Plain words for a transfer card: how the file went, where it stands, and why it failed (issue 11). */
import type { TransferDirection as Direction, TransferMethod, TransferState, TransportKind } from '../../../shared/model/transfer';

/** "Sent directly", "Received through the server's relay" …; null while neither method nor transport is known. */
export function routeSentence(direction: Direction, method: TransferMethod | null, transport: TransportKind | null): string | null {
  const sent = direction === 'outgoing';
  if (method === 'http-upload' || method === 'kontalk' || method === 'oob' || transport === 'http') {
    return sent ? 'Uploaded to the server' : 'Downloaded from a link';
  }
  if (transport === 's5b-direct') return sent ? 'Sent directly' : 'Received directly';
  if (transport === 's5b-proxy' || transport === 'oneteam') return sent ? "Sent through the server's relay" : "Received through the server's relay";
  if (transport === 'ibb') return sent ? 'Sent in-band (slow path)' : 'Received in-band (slow path)';
  return null;
}

/** Where a transfer stands, in words that name the contact: "Waiting for Bob to accept", "Checking the file…". */
export function stateSentence(state: TransferState, direction: Direction, peerName: string): string {
  switch (state) {
    case 'offered':
    case 'negotiating': return direction === 'outgoing' ? `Waiting for ${peerName} to accept` : `${peerName} offers this file`;
    case 'connecting': return 'Connecting…';
    case 'transferring': return direction === 'outgoing' ? 'Sending…' : 'Receiving…';
    case 'verifying': return 'Checking the file…';
    case 'done': return 'Done';
    case 'failed': return 'Failed';
    case 'cancelled': return 'Cancelled';
    case 'declined': return direction === 'outgoing' ? `${peerName} declined` : 'Declined';
    case 'interrupted': return 'Interrupted';
  }
}

/** The failure sentence lives in shared/model (the Electron host's notifications use it too). */
export { reasonSentence } from '../../../shared/model/reasonWords';

/** Why a stored transfer reads "Interrupted", and what the card offers: "Ferry was closed … Resume to continue it." */
export function interruptedSentence(transfer: { reason: string | null; direction: Direction }): string {
  const why = (transfer.reason ?? 'Ferry stopped while this transfer was running').replace(/\.$/, '');
  return `${why}. ${transfer.direction === 'incoming' ? 'Resume to continue it.' : 'Resend to offer it again.'}`;
}

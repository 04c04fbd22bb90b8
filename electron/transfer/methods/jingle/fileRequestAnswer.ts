import xml from '@xmpp/xml';
import { buildJingle, type JingleReasonOptions } from '../../../xmpp/xep/xep0166Jingle';
import { FILE_NOT_AVAILABLE_REASON, type FileSelector } from '../../../xmpp/xep/xep0234FileRequest';
import { base64ToHex } from '../../../xmpp/xep/xep0300Hashes';
import type { TransferXmpp } from '../../ports';
import type { IncomingHost } from '../types';

const TERMINATE_TIMEOUT_MS = 10_000;

/**
 * The File Sender's side of a request (XEP-0234 §6.2), acknowledged already by the router: the service looks
 * for a file Ferry offered to the requester's bare JID before (and only such a file: a peer must not pull
 * anything else off the disk) and offers it anew to the requester, as a push of its own session. The request
 * session then ends with `<alternative-session><sid>NEW</sid></alternative-session>` (XEP-0166 §7.4: "The
 * party prefers to use an existing session with the peer rather than initiate a new session; the Jingle
 * session ID of the alternative session SHOULD be provided as the XML character data of the <sid/> child"):
 * the new offer is that session, and the receiver's range in its accept continues the file. Without a new
 * sid (the offer could not name one) the condition goes alone, which the SHOULD allows. `<success/>` would
 * say the requested file was delivered in this session, which it was not. A file that is not there, or was
 * never offered to that JID, ends the request with §9.1's `<failed-application/>` and `<file-not-available/>`.
 */
export function answerFileRequest(options: {
  xmpp: TransferXmpp; host: IncomingHost; sid: string; from: string; selector: FileSelector;
  /** The sid of the Jingle offer just started to `target` for `path`, when there is one. */
  offeredSid(target: string, path: string): string | null;
}): void {
  const { xmpp, host, sid, from, selector } = options;
  const terminate = (reason: JingleReasonOptions): void => {
    const jingle = buildJingle({ action: 'session-terminate', sid, reason });
    xmpp.request(xml('iq', { type: 'set', to: from }, jingle), TERMINATE_TIMEOUT_MS).catch(() => undefined);
  };
  const hex = (algo: string): string | null => {
    const hash = selector.hashes.find((h) => h.algo === algo);
    try { return hash ? base64ToHex(hash.base64) : null; } catch { return null; }
  };
  // One turn later, so the router's result (the acknowledgement) leaves before anything this causes.
  setImmediate(() => {
    const asked = { from, name: selector.name, size: selector.size, sha256: hex('sha-256'), md5: hex('md5'), offset: selector.offset };
    void host.fileRequested(asked).then(
      (sent) => {
        if (!sent) { terminate({ ...FILE_NOT_AVAILABLE_REASON, text: 'no such file was offered to you' }); return; }
        const newSid = options.offeredSid(from, sent.path);
        terminate({ condition: 'alternative-session', alternativeSid: newSid, text: 'the file is offered again in a new session' });
      },
      (error: unknown) => terminate({ ...FILE_NOT_AVAILABLE_REASON, text: `the file cannot be sent again: ${(error as Error).message}` }),
    );
  });
}

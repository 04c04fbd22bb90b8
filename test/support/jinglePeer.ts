import { fileURLToPath } from 'node:url';
import { startSlixmppPeer, type SlixmppPeer, type SlixmppPeerOptions } from './slixmppPeer';

export { isSlixmppInstalled, type PeerEvent, type SlixmppPeer } from './slixmppPeer';

/**
 * Drives test/interop/jingle_peer.py: a Jingle file-transfer peer (XEP-0166, XEP-0234 :5, XEP-0260 S5B, XEP-0261
 * IBB, XEP-0300 sha-256) on Debian's slixmpp, written from the XEP texts rather than from Ferry's code. Same process
 * conventions as the SI peer (slixmppPeer.ts): `--jid --password --host --port --timeout` then a mode, one JSON
 * object per stdout line, exit codes 0 done · 1 failed (also a hash mismatch) · 3 cannot log in · 4 timeout · 5 declined.
 *
 * Modes: `send --to FULLJID --file PATH [--transport s5b|ibb] [--block-size N] [--ibb-stanza iq|message] [--ibb-window N]
 * [--hash-in-offer|--hash-after] [--corrupt-hash] [--no-candidates] [--dead-candidate] [--proxy [JID]] [--no-fallback]
 * [--media-type T] [--accept-timeout S] [--terminate-wait S]` · `receive --dir DIR [--accept|--decline]
 * [--transport any|s5b|ibb] [--block-size N] [--range-offset N] [--no-candidates] [--dead-candidate] [--proxy [JID]]
 * [--count N]` · `disco --to JID`. Top-level `--advertise-si` adds the SI features to disco#info (SI is not spoken).
 *
 * Events (every one has `event`; `sid` is the Jingle sid):
 * ready {jid, mode, features} · jingle {dir: in|out, action, sid, info} for every Jingle IQ-set ·
 * offer {sid, to|from, name, size, media_type, date?, hash: {algo, value}|null, hash_used, transport: s5b|ibb, candidates} ·
 * accepted {sid, transport, range, candidates} · candidate {sid, owner: peer, cid, host, port, jid, priority, type, result} ·
 * candidate-reports {sid, local, remote: used|error, local_cid, remote_cid} ·
 * nominated {sid, cid, owner: self|peer, type, rule: only-used|higher-priority|initiator-choice, host, port} ·
 * s5b-failed {sid, reason} · transport-replace {sid, by: initiator|responder, to, ibb_sid?, block_size?, result: sent|accepted|rejected|tie-break lost} ·
 * transport {sid, transport: s5b-direct|s5b-proxy|ibb, cid?|ibb_sid?, block_size?, stanza?} · ibb {ibb_sid, state: open|closed, …} ·
 * progress {sid, bytes, size} · checksum {sid, dir, algo, value, range} · hash {sid, state: verified|mismatch|none, algo, sha256} (receiver) ·
 * terminate {sid, by: initiator|responder, reason, text} · warning {message} · disco {jid, features, identities} ·
 * final: done | failed | declined {sid, name, size, sha256 (hex of the bytes sent / received), bytes, transport, ended_by, reason
 * (the Jingle condition), text, and for the receiver: from, offset, hash: verified|mismatch|none, hash_algo, path (done only)}.
 */
export const JINGLE_PEER_SCRIPT = fileURLToPath(new URL('../interop/jingle_peer.py', import.meta.url));

export function startJinglePeer(options: Omit<SlixmppPeerOptions, 'script'>): SlixmppPeer {
  return startSlixmppPeer({ ...options, script: JINGLE_PEER_SCRIPT });
}

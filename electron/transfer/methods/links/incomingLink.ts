import { openDownload, type Download } from '../../../transport/http/httpDownload';
import { readHttpUrl } from '../../../xmpp/xep/httpUrls';
import { unlink } from 'node:fs/promises';
import { claimResumablePart, peekKeptLink } from '../../resumablePart';
import { receiveOver, type IncomingFile } from '../../streams/receiveStream';
import type { IncomingDeps, IncomingTransfer } from '../types';

/** What a received link is, beyond the record. */
export interface LinkOffer {
  url: string;
  /** The sender's bare JID (kept parts are matched by it). */
  fromBare: string;
}

/** Redirect targets follow the same rule as the link itself (http/https, no credentials, no tricks). */
function isAllowedUrl(url: URL): boolean {
  return readHttpUrl(url.href, 'web') !== null;
}

/**
 * A file offered by link (XEP-0066 `jabber:x:oob`, after the sender's XEP-0363 or Kontalk upload): accept
 * streams the GET into the `.part` with progress from the bytes received; a kept `.part` of the same link is
 * resumed with a Range (RFC 9110 §14.2), and a server that ignores it sends the whole file again. The size
 * is the server's (Content-Length / Content-Range): nothing announced it before. Without either, the body's
 * own end ends the file (bounded by MAX_UNSIZED_BYTES), and such a part is never kept. The bytes come from the
 * server, so the sender going offline does not end it; there is no one to tell of a decline or a cancel.
 */
export class IncomingLinkTransfer implements IncomingTransfer {
  readonly isPeerIndependent = true;
  private readonly abort = new AbortController();

  constructor(private readonly deps: IncomingDeps, private readonly link: LinkOffer) {}

  get record(): IncomingDeps['record'] { return this.deps.record; }

  accept(dir: string | null): void {
    this.record.setMethod('oob', 'http');
    this.record.setState('connecting');
    void this.download(dir);
  }

  decline(): void {
    this.record.end('declined', { reason: 'declined' });
  }

  cancel(reason?: string): void {
    this.record.end('failed', { reason: reason ?? 'stopped' });
    this.abort.abort();
  }

  cancelByUser(): void {
    this.record.end('cancelled', { reason: 'cancelled' });
    this.abort.abort();
  }

  /** Logging out: nobody to tell (the bytes come from a server); the record fails, so the .part is kept for a Range. */
  stopForLogout(reason: string): void {
    this.cancel(reason);
  }

  private async dropKept(folder: string, kept: { size: number; url: string }): Promise<void> {
    const identity = { from: this.link.fromBare, name: this.record.file.name, size: kept.size, sha256: null, md5: null, date: null, url: kept.url };
    const claimed = await claimResumablePart(folder, identity).catch(() => null);
    if (claimed) await unlink(claimed.partPath).catch(() => undefined);
  }

  private async download(dir: string | null): Promise<void> {
    const { record } = this;
    const { url } = this.link;
    let file: IncomingFile | null = null;
    let response: Download | null = null;
    try {
      const folder = dir ?? this.deps.downloadDir;
      const kept = await peekKeptLink(folder, { from: this.link.fromBare, name: record.file.name, url });
      response = await openDownload({ url, offset: kept?.bytes ?? 0, signal: this.abort.signal, isAllowedUrl });
      const host = new URL(response.finalUrl).host;
      const size = response.total ?? (response.length === null ? null : response.offset + response.length);
      // Without a size the body's own end ends the file (bounded: receiveOver's MAX_UNSIZED_BYTES); the size
      // the card shows is then the bytes received, set once they are all in.
      if (size !== null) record.setFileSize(size);
      // The server ignored the Range: the kept part is of no use any more, and goes (its sidecar first).
      if (kept && response.offset === 0) await this.dropKept(folder, { size: kept.size, url });
      record.log({
        method: 'oob', transport: 'http', outcome: 'started', reason: '',
        detail: `GET ${host}: ${response.status}${response.offset > 0 ? ` from byte ${response.offset}` : ''}${size === null ? ', size not given (no Content-Length): the file ends where the server ends it' : ''}`,
      });
      file = await this.deps.openFile(dir, { sha256: null, isRangeSupported: size !== null, url, resume: response.offset > 0, isSizeUnknown: size === null });
      if (file.offset !== response.offset) throw new Error(`the kept part holds ${file.offset} bytes, the server sent from ${response.offset}: try again`);
      record.setState('transferring');
      const received = await receiveOver({
        stream: response.stream, kind: 'http', file, size, offset: file.offset, stallTimeoutMs: this.deps.timings.stallTimeoutMs,
        onProgress: (bytes) => record.progress(bytes),
        onStall: (reason) => { record.end('failed', { reason }); this.abort.abort(); },
      });
      if (size === null) record.setFileSize(received);
      record.setState('verifying');
      const committed = await file.commit({});
      record.log({ method: 'oob', transport: 'http', outcome: 'succeeded', reason: '', detail: `downloaded from ${host}` });
      record.end('done', { path: committed.path, sha256: committed.sha256, hash: 'none' });
    } catch (error) {
      response?.stream.dispose();
      const reason = this.abort.signal.aborted && record.isEnded ? (record.snapshot().reason ?? 'cancelled') : (error as Error).message;
      record.log({ method: 'oob', transport: 'http', outcome: 'failed', reason, detail: `download of ${url}` });
      record.end('failed', { reason });
      await file?.abort().catch(() => undefined);
    }
  }
}

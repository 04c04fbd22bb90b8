import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createIncomingFile } from '../../../../../../electron/transfer/fileStore';
import { DEFAULT_TIMINGS, type TransferXmpp } from '../../../../../../electron/transfer/ports';
import { IncomingSiTransfer } from '../../../../../../electron/transfer/methods/si/siReceiver';
import { TransferRecord } from '../../../../../../electron/transfer/transferRecord';
import { NS_IBB, type IbbOpen } from '../../../../../../electron/xmpp/xep/xep0047Ibb';
import type { IbbStream } from '../../../../../../electron/transport/ibb/ibbStream';
import type { TransferId } from '../../../../../../shared/model/transfer';
import { waitFor } from '../../../../../support/transportHelpers';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

/** The XMPP side the receiver uses for IBB: only the <close/> request, answered at once. */
const xmpp = { jid: 'bob@localhost/ferry', request: async () => undefined } as unknown as TransferXmpp;

describe('IncomingSiTransfer: cancel during verify (issue 7 item 13)', () => {
  it('a cancel while the file is being verified wins: the card says cancelled and no file is left in the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-verify-'));
    dirs.push(dir);
    const data = randomBytes(10_000);
    const record = new TransferRecord({
      id: 'verify-1' as TransferId, direction: 'incoming', peer: 'alice@localhost/ferry',
      file: { name: 'v.bin', size: data.length, mediaType: 'application/octet-stream', date: null, description: '', md5: null },
    });
    let openGate: () => void = () => undefined;
    let onIbbOpen: ((open: IbbOpen) => IbbStream) | null = null;
    const gate = new Promise<void>((resolve) => { openGate = resolve; });
    const transfer = new IncomingSiTransfer({
      xmpp, record, sid: 's1', initiator: 'alice@localhost/ferry', ownJid: 'bob@localhost/ferry', offeredMethods: [NS_IBB],
      preference: 'auto', timings: DEFAULT_TIMINGS,
      openFile: async () => {
        const file = await createIncomingFile({ dir, name: 'v.bin', expectedSize: data.length });
        // The real commit, its answer held until the test has cancelled: the cancel lands while the commit is
        // under way (it cannot be stopped half way, so abort() is a no-op then).
        return {
          writable: file, offset: 0, abort: () => file.abort().then(() => false), discard: () => file.abort(),
          commit: async (expected) => { const done = file.commit({ expectedMd5: expected.md5 }); await gate; return done; },
        };
      },
      expectIbb: (onOpen) => { onIbbOpen = onOpen; return () => undefined; },
    });
    transfer.accept(null);
    await transfer.answerOffer();
    const ibb = onIbbOpen!({ sid: 's1', blockSize: 65535, stanza: 'iq' });
    await ibb.pushBlock(0, data.toString('base64'));
    ibb.peerClosed();
    await waitFor(() => record.state === 'verifying');
    transfer.cancel();
    expect(record.state).toBe('cancelled');
    openGate();
    await waitFor(() => readdirSync(dir).length === 0, 3000).catch(() => undefined);
    expect(record.snapshot()).toMatchObject({ state: 'cancelled', path: null });
    expect(readdirSync(dir)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Output } from '../../../../../electron/hosts/cli/output';
import { TransferReport } from '../../../../../electron/hosts/cli/transferReport';
import type { TransferSummary } from '../../../../../shared/model/transfer';
import { createFakeCore } from '../../../../fakes/fakeCore';

// eslint-disable-next-line no-control-regex -- the test looks for control characters
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A name, JID resource and reason as a hostile sender would pick them: OSC title, CSI clear, CR, C1 CSI, RLO. */
const NAME = 'Invoice\u202efdp.exe\u001b]0;owned\u0007';
const PEER = 'mallory@example.com/\u001b[2J\rok';
const REASON = 'sender said: \u009b2K\nfake: done';

function summary(state: TransferSummary['state'], overrides: Partial<TransferSummary> = {}): TransferSummary {
  return {
    id: 't1' as TransferSummary['id'], batchId: null, direction: 'incoming', peer: PEER,
    file: { name: NAME, size: 10, mediaType: 'application/pdf\u001b[8m', date: null, description: '', md5: null },
    state, bytes: 0, rate: 0, etaSeconds: null, method: 'si', transport: 's5b-direct', path: null, sha256: null, hash: 'none', url: null, thumbnail: null, resumedFrom: null,
    reason: null, attempts: [], startedAt: 0, endedAt: null, ...overrides,
  };
}

function run(isJson: boolean): string {
  let stdout = '';
  const core = createFakeCore();
  const report = new TransferReport(core, new Output({ write: (t: string) => { stdout += t; } }, { write: () => undefined }, isJson));
  core.emit('transfer.updated', summary('offered'));
  core.emit('transfer.updated', summary('transferring', { bytes: 5, rate: 1e6 }));
  core.emit('transfer.updated', summary('failed', {
    reason: REASON,
    attempts: [{ at: 1, method: 'si', transport: 's5b-direct', detail: `${PEER} 10.0.0.1:1`, outcome: 'failed', reason: REASON }],
  }));
  report.dispose();
  return stdout;
}

describe('TransferReport', () => {
  it('prints offer, progress and failure lines with the peer-supplied name, JID and reason made harmless for a terminal', () => {
    const text = run(false);
    expect(text).not.toMatch(UNSAFE);
    expect(text.trimEnd().split('\n')).toHaveLength(4); // offer, progress, failed, one attempt: no forged lines
    expect(text).toContain('Invoice\\u202efdp.exe\\x1b]0;owned\\x07');
  });

  it('keeps --json lines valid JSON carrying the exact strings', () => {
    const lines = run(true).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.event)).toEqual(['offer', 'progress', 'failed']);
    expect(lines[0]).toMatchObject({ from: PEER, name: NAME, mediaType: 'application/pdf\u001b[8m' });
    expect(lines[2]).toMatchObject({ name: NAME, reason: REASON });
  });
});

import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransferSummary } from '../../../../shared/model/transfer';
import { TransferCard } from '../../../../renderer/features/transfers/TransferCard';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { attempt, transfer } from '../../support/transfers';

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge({ 'transfer.cancel': () => undefined, 'file.open': () => undefined, 'file.reveal': () => undefined });
});
afterEach(cleanup);

function renderCard(summary: TransferSummary) {
  render(<ul><TransferCard transfer={summary} /></ul>);
  return screen.getByRole('listitem');
}

const SHA = 'a'.repeat(12) + 'b'.repeat(52);
const DONE_IN = transfer({
  state: 'done', bytes: 2048, method: 'si', transport: 's5b-direct', path: '/home/bob/Downloads/photo.jpg', sha256: SHA, endedAt: 5,
});

describe('TransferCard', () => {
  it.each([
    ['verified', 'done', 'verified'], ['none', 'done', 'not checked'], ['mismatch', 'failed', 'damaged'],
  ] as const)('says in words what the hash check found: hash %s (%s) reads "%s"', (hash, state, words) => {
    for (const direction of ['incoming', 'outgoing'] as const) {
      const card = renderCard(transfer({ ...DONE_IN, direction, state, hash }));
      const check = card.querySelector('.transfer-check');
      expect(check?.textContent).toBe(words);
      expect(check?.getAttribute('title')).toMatch(/hash/);
      cleanup();
    }
  });

  it('shows "verified" from the hash state, not from an md5 in the offer (Jingle offers carry a sha-256)', () => {
    const jingle = renderCard(transfer({ ...DONE_IN, method: 'jingle', hash: 'verified', file: { ...DONE_IN.file, md5: null } }));
    expect(within(jingle).getByText('verified')).toBeTruthy();
    cleanup();
    const unchecked = renderCard(transfer({ ...DONE_IN, hash: 'none', file: { ...DONE_IN.file, md5: '552da749930852c69ae5d2141d3766b1' } }));
    expect(within(unchecked).queryByText('verified')).toBeNull();
  });

  it('says nothing about the hash before the transfer is done', () => {
    const card = renderCard(transfer({ state: 'transferring', bytes: 100, method: 'jingle', transport: 'ibb' }));
    expect(card.querySelector('.transfer-check')).toBeNull();
    expect(card.textContent).not.toMatch(/not checked|verified|damaged/);
  });

  it('keeps the technical route under Details, and says a SOCKS5 → in-band fallback in plain words outside (issue 11)', () => {
    const card = renderCard(transfer({
      state: 'transferring', bytes: 100, method: 'jingle', transport: 'ibb',
      attempts: [attempt({ method: 'jingle', transport: 'ibb', detail: 'SOCKS5 failed → in-band', outcome: 'started', reason: '' })],
    }));
    const details = card.querySelector('details.transfer-details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('.transfer-route')?.textContent).toBe('Jingle · in-band');
    expect(details.querySelector('.transfer-fallback')?.textContent).toBe('SOCKS5 failed → in-band');
    expect([...card.querySelectorAll('.transfer-route, .transfer-fallback')].every((el) => details.contains(el))).toBe(true);
    expect(card.querySelector('.transfer-plain-route')?.textContent).toBe('A direct connection did not work: the file goes in-band (slower).');
  });

  it('shows the method in plain words beside the transport: Jingle and SI', () => {
    const jingle = renderCard(transfer({ state: 'transferring', method: 'jingle', transport: 's5b-direct' }));
    expect(jingle.querySelector('.transfer-route')?.textContent).toBe('Jingle · SOCKS5 direct');
    cleanup();
    const picked = renderCard(transfer({ state: 'connecting', method: 'jingle', transport: null }));
    expect(picked.querySelector('.transfer-route')?.textContent).toBe('Jingle');
  });

  it('shows a fallback from SOCKS5 to in-band as soon as the attempt log has it, the full detail in the title', () => {
    const detail = 'SOCKS5 failed → in-band (transport-replace answered in 12 ms)';
    const card = renderCard(transfer({
      state: 'connecting', method: 'jingle', transport: null,
      attempts: [
        attempt({ method: 'jingle', transport: null, detail: 'SOCKS5', reason: 'no candidate worked' }),
        attempt({ method: 'jingle', transport: 'ibb', detail, outcome: 'started', reason: '' }),
      ],
    }));
    const fallback = card.querySelector('.transfer-fallback');
    expect(fallback?.textContent).toBe('SOCKS5 failed → in-band');
    expect(fallback?.getAttribute('title')).toBe(detail);
  });

  it('shows a move from peer-to-peer to the server (a send plan\'s fallback) in plain words', () => {
    const card = renderCard(transfer({
      direction: 'outgoing', state: 'transferring', method: 'http-upload', transport: 'http', bytes: 100,
      attempts: [
        attempt({ method: 'jingle', transport: null, detail: 'method jingle', outcome: 'started', reason: 'fits' }),
        attempt({ method: 'jingle', transport: null, detail: 'jingle failed → trying http-upload', reason: 'no SOCKS5 candidate' }),
      ],
    }));
    expect(card.querySelector('.transfer-method-fallback')?.textContent).toBe('Jingle failed → HTTP upload');
  });

  it('shows a link\'s thumbnail (the core\'s PNG) and "size unknown" until the server says the size', () => {
    const card = renderCard(transfer({ url: 'https://up.example/f/a', file: { name: 'a.jpg', size: 0, mediaType: 'image/jpeg', date: null, description: '', md5: null },
      thumbnail: { mediaType: 'image/jpeg', bytes: 900, png: 'iVBORw0KGgo=' } }));
    const img = card.querySelector('img.transfer-thumbnail');
    expect(img?.getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(img?.getAttribute('alt')).toBe('Preview of a.jpg');
    expect(card.querySelector('.transfer-size')?.textContent).toBe('size unknown');
  });

  it('says "size unknown" while a link without a size arrives ("39.1 KB so far"), not "of 0 B"', () => {
    const card = renderCard(transfer({ url: 'https://up.example/f/b', state: 'transferring', bytes: 40_000, file: { name: 'b.bin', size: 0, mediaType: 'application/octet-stream', date: null, description: '', md5: null } }));
    expect(card.querySelector('.transfer-size')?.textContent).toBe('size unknown');
    expect(card.textContent).toMatch(/KB so far \(size unknown\)/);
    expect(card.textContent).not.toContain('of 0 B');
  });

  it('shows no fallback when SOCKS5 worked', () => {
    const card = renderCard(transfer({
      state: 'done', method: 'jingle', transport: 's5b-direct', hash: 'verified',
      attempts: [attempt({ method: 'jingle', transport: 's5b-direct', detail: 'bob 127.0.0.1:4000', outcome: 'succeeded', reason: '' })],
    }));
    expect(card.querySelector('.transfer-fallback')).toBeNull();
    expect(card.textContent).not.toContain('in-band');
  });

  it('shows "resumed at" the offset in human bytes when a range was used, and nothing otherwise', () => {
    const resumed = renderCard(transfer({ state: 'transferring', bytes: 1536, method: 'jingle', transport: 'ibb', resumedFrom: 1024 }));
    expect(resumed.querySelector('.transfer-resumed')?.textContent).toBe('resumed at 1.0 KB');
    cleanup();
    const whole = renderCard(transfer({ state: 'transferring', bytes: 1536, method: 'jingle', transport: 'ibb' }));
    expect(whole.textContent).not.toContain('resumed');
  });

  it('shows progress, bytes, speed, ETA and the method and transport while transferring', () => {
    const card = renderCard(transfer({
      direction: 'outgoing', state: 'transferring', bytes: 512, rate: 1536, etaSeconds: 95, method: 'si', transport: 's5b-proxy',
    }));
    expect(card.getAttribute('aria-label')).toBe('photo.jpg, Transferring');
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(card.textContent).toContain('512 B of 2.0 KB · 1.5 KB/s · 1 min 35 s left');
    expect(card.textContent).toContain('SI · SOCKS5 proxy');
    expect(card.textContent).toContain('Sending');
  });

  it.each([
    ['s5b-direct', 'SI · SOCKS5 direct'], ['s5b-proxy', 'SI · SOCKS5 proxy'], ['ibb', 'SI · in-band'],
  ] as const)('labels transport %s as "%s"', (transport, label) => {
    const card = renderCard(transfer({ state: 'transferring', method: 'si', transport }));
    expect(card.querySelector('.transfer-route')?.textContent).toBe(label);
  });

  it('cancels through transfer.cancel while the transfer has not ended', () => {
    const card = renderCard(transfer({ state: 'connecting' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(bridge.argsOf('transfer.cancel')).toEqual([{ id: 't1' }]);
  });

  it('offers no Cancel once the transfer ended', () => {
    const card = renderCard(transfer({ state: 'declined', reason: 'bob declined the file' }));
    expect(within(card).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(card.textContent).toContain('bob declined the file');
  });

  it('shows the failure reason and an expandable attempt log with time, transport, detail, outcome and reason', () => {
    const card = renderCard(transfer({
      state: 'failed', reason: 'every transport failed',
      attempts: [attempt(), attempt({ transport: 'ibb', detail: 'ibb block-size 4096', reason: 'peer closed the stream' })],
    }));
    expect(card.querySelector('.transfer-reason')?.textContent).toBe('every transport failed');
    const log = card.querySelector('details')!;
    expect(log.open).toBe(false);
    expect(within(log).getByText('Attempt log (2)')).toBeTruthy();
    const rows = within(log).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toHaveLength(2);
    expect(rows[0].slice(1)).toEqual(['SOCKS5 proxy', 'proxy dead.localhost 127.0.0.1:9', 'failed', 'connection refused']);
    expect(rows[1].slice(1)).toEqual(['in-band', 'ibb block-size 4096', 'failed', 'peer closed the stream']);
    expect(rows[0][0]).toMatch(/\d{1,2}:\d{2}:\d{2}/);
  });

  it('never shows a failure without a reason: falls back to the last failed attempt, then a sentence', () => {
    const card = renderCard(transfer({ state: 'failed', attempts: [attempt({ reason: 'proxy refused activation' })] }));
    expect(card.querySelector('.transfer-reason')?.textContent).toBe('proxy refused activation');
    cleanup();
    const bare = renderCard(transfer({ state: 'failed' }));
    expect(bare.querySelector('.transfer-reason')?.textContent).toMatch(/failed/);
  });

  it('for a received file with native files: Open and Show in folder call file.open and file.reveal', () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    const card = renderCard(DONE_IN);
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    fireEvent.click(within(card).getByRole('button', { name: 'Open' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Show in folder' }));
    expect(bridge.argsOf('file.open')).toEqual([{ path: '/home/bob/Downloads/photo.jpg' }]);
    expect(bridge.argsOf('file.reveal')).toEqual([{ path: '/home/bob/Downloads/photo.jpg' }]);
  });

  it('asks before opening a received program or script, and opens only when the user agrees', () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    try {
      const card = renderCard({ ...DONE_IN, file: { ...DONE_IN.file, name: 'setup.exe' }, path: '/home/bob/Downloads/setup.exe' });
      fireEvent.click(within(card).getByRole('button', { name: 'Open' }));
      expect(confirm).toHaveBeenCalledWith(expect.stringContaining('"setup.exe" is a program or script from bob@localhost/phone'));
      expect(bridge.argsOf('file.open')).toEqual([]);
      fireEvent.click(within(card).getByRole('button', { name: 'Open' }));
      expect(bridge.argsOf('file.open')).toEqual([{ path: '/home/bob/Downloads/setup.exe' }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('opens a document without asking', () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    try {
      fireEvent.click(within(renderCard(DONE_IN)).getByRole('button', { name: 'Open' }));
      expect(confirm).not.toHaveBeenCalled();
      expect(bridge.argsOf('file.open')).toEqual([{ path: '/home/bob/Downloads/photo.jpg' }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('shows a spoofed offered name as it will be saved, never with its bidi override live', () => {
    const card = renderCard(transfer({ state: 'transferring', bytes: 100, file: { ...DONE_IN.file, name: 'Invoice\u202Efdp.exe' } }));
    expect(card.getAttribute('aria-label')).toBe('Invoicefdp.exe, Transferring');
    const name = card.querySelector('.transfer-name')!;
    expect(name.textContent).toBe('Invoicefdp.exe');
    expect(name.getAttribute('title')).toBe('offered as Invoice⟨U+202E⟩fdp.exe');
    // Nowhere in the card, attributes included (aria-labels of the card and its progress bar).
    expect(card.outerHTML).not.toContain('\u202E');
  });

  it('in the web host shows the saved path as text instead of Open and Show in folder', () => {
    sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
    const card = renderCard(DONE_IN);
    expect(within(card).queryByRole('button', { name: 'Open' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Show in folder' })).toBeNull();
    expect(card.textContent).toContain('Saved to /home/bob/Downloads/photo.jpg');
  });

  it('shows the sha-256 shortened, with the full value in the title', () => {
    const card = renderCard(DONE_IN);
    const hash = card.querySelector('.transfer-hash')!;
    expect(hash.textContent).toBe('sha-256 aaaaaaaaaaaa…');
    expect(hash.getAttribute('title')).toBe(`sha-256 ${SHA}`);
  });

  it('shows no Open or Show in folder for a file that was sent', () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    const card = renderCard({ ...DONE_IN, direction: 'outgoing' });
    expect(within(card).queryByRole('button', { name: 'Open' })).toBeNull();
    expect(card.textContent).not.toContain('Saved to');
  });
});

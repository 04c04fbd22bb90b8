import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeExtras } from '../../../../renderer/api';
import { App } from '../../../../renderer/App';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { ONLINE, rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

const ONLINE_BOB = [{ resource: 'phone', show: 'available', status: '', priority: 5 }] as const;
let bridge: FakeBridge & BridgeExtras;
beforeEach(async () => {
  bridge = useFakeBridge({ 'transfer.send': ({ paths }) => paths.map((p, i) => transfer({ id: `s${i}` as never, direction: 'outgoing', path: p })) });
  bridge.stageFiles = async (files) => files.map((f) => `/tmp/staging/${f.name}`);
  sessionStore.setState({ hasSession: true, snapshot: ONLINE, host: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
  rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob', resources: [...ONLINE_BOB] })]);
  await chatsStore.getState().open('bob@localhost');
});
afterEach(cleanup);

function files(...names: string[]): File[] {
  return names.map((name) => new File([new Uint8Array([1, 2, 3])], name, { type: 'application/octet-stream' }));
}

function dataTransfer(list: File[]) {
  return { dataTransfer: { files: list, types: ['Files'], dropEffect: 'none' } };
}

function chat() {
  return screen.getByRole('region', { name: 'Chat with Bob' });
}

describe('sending files', () => {
  it('a drop on the open chat sends every file in one transfer.send to the bare JID', async () => {
    render(<App />);
    fireEvent.dragEnter(chat(), dataTransfer(files('a.txt', 'b.txt')));
    expect(chat().className).toContain('drop-target--active');
    fireEvent.drop(chat(), dataTransfer(files('a.txt', 'b.txt')));
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([
      { to: 'bob@localhost', paths: ['/tmp/staging/a.txt', '/tmp/staging/b.txt'] },
    ]));
    expect(chat().className).not.toContain('drop-target--active');
    await waitFor(() => expect(within(chat()).getAllByRole('listitem', { name: /Offered/ })).toHaveLength(2));
  });

  it('uses the local paths the bridge knows (Electron) without staging', async () => {
    bridge.pathForFile = (file) => `/home/alice/${file.name}`;
    render(<App />);
    fireEvent.drop(chat(), dataTransfer(files('report.pdf')));
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([{ to: 'bob@localhost', paths: ['/home/alice/report.pdf'] }]));
  });

  it('a drop on a contact in the roster opens their chat and sends there', async () => {
    rosterStore.getState().setItems([
      rosterItem('bob@localhost', { name: 'Bob', resources: [...ONLINE_BOB] }), rosterItem('carol@localhost', { name: 'Carol' }),
    ]);
    render(<App />);
    const carol = within(screen.getByRole('list', { name: 'Contacts' })).getAllByRole('listitem').find((li) => li.textContent?.includes('Carol'))!;
    fireEvent.dragEnter(carol, dataTransfer(files('x.bin')));
    expect(carol.className).toContain('drop-target--active');
    fireEvent.drop(carol, dataTransfer(files('x.bin')));
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([{ to: 'carol@localhost', paths: ['/tmp/staging/x.bin'] }]));
    expect(chatsStore.getState().openJid).toBe('carol@localhost');
  });

  it('ignores drags that carry no files', () => {
    render(<App />);
    fireEvent.dragEnter(chat(), { dataTransfer: { files: [], types: ['text/plain'] } });
    expect(chat().className).not.toContain('drop-target--active');
  });

  it('shows a clear error when transfer.send rejects (contact offline)', async () => {
    bridge.handle('transfer.send', () => { throw { code: 'not-found', message: 'bob@localhost is offline: file transfer needs an online contact' }; });
    render(<App />);
    fireEvent.drop(chat(), dataTransfer(files('a.txt')));
    expect((await within(chat()).findByRole('alert')).textContent)
      .toBe('Could not send the file: bob@localhost is offline: file transfer needs an online contact');
  });

  it('"Send file" in the web host uses a hidden multiple file input staged through the host', async () => {
    render(<App />);
    const input = screen.getByLabelText<HTMLInputElement>('Files to send');
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.hidden).toBe(true);
    fireEvent.change(input, { target: { files: files('one.txt', 'two.txt') } });
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([
      { to: 'bob@localhost', paths: ['/tmp/staging/one.txt', '/tmp/staging/two.txt'] },
    ]));
    expect(bridge.argsOf('file.pick')).toEqual([]);
  });

  it('"Send file" with native files uses file.pick and sends what was picked', async () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    bridge.handle('file.pick', () => ['/home/alice/a.iso']);
    render(<App />);
    expect(screen.queryByLabelText('Files to send')).toBeNull();
    fireEvent.click(within(chat()).getByRole('button', { name: 'Send file' }));
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([{ to: 'bob@localhost', paths: ['/home/alice/a.iso'] }]));
  });

  it('lets the user pick one of several online resources; the default sends to the bare JID', async () => {
    rosterStore.getState().setItems([rosterItem('bob@localhost', {
      name: 'Bob', resources: [...ONLINE_BOB, { resource: 'laptop', show: 'away', status: '', priority: 0 }],
    })]);
    render(<App />);
    const select = within(chat()).getByLabelText<HTMLSelectElement>('Send files to');
    expect(select.value).toBe('');
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['Best device', 'phone · Online', 'laptop · Away']);
    fireEvent.change(select, { target: { value: 'laptop' } });
    fireEvent.drop(chat(), dataTransfer(files('a.txt')));
    await waitFor(() => expect(bridge.argsOf('transfer.send')).toEqual([{ to: 'bob@localhost/laptop', paths: ['/tmp/staging/a.txt'] }]));
  });

  it('shows no resource picker for a contact with one online resource', () => {
    render(<App />);
    expect(within(chat()).queryByLabelText('Send files to')).toBeNull();
  });
});

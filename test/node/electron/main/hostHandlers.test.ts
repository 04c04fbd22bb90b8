import { describe, expect, it, vi } from 'vitest';
import { createElectronHostHandlers, type ElectronHostDeps } from '../../../../electron/main/hostHandlers';
import { notifyTransfers, offerNotification } from '../../../../electron/main/notifications';
import type { TransferSummary } from '../../../../shared/model/transfer';
import { createFakeCore } from '../../../fakes/fakeCore';
import { createPathGrants } from '../../../../electron/app/pathGrants';

function deps(overrides: Partial<ElectronHostDeps> = {}) {
  return {
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/a/x.txt', '/home/a/y.txt'] })) },
    shell: { openPath: vi.fn(async () => ''), showItemInFolder: vi.fn() },
    getWindow: () => null,
    credentials: { load: vi.fn(async () => ({ jid: 'alice@example.org', password: 'pw' })), save: vi.fn(), clear: vi.fn() },
    grants: createPathGrants(),
    listTransfers: vi.fn(async () => [
      { direction: 'incoming', state: 'done', path: '/home/a/Downloads/got.pdf' },
      { direction: 'outgoing', state: 'done', path: '/usr/bin/xterm' },
    ] as TransferSummary[]),
    ...overrides,
  } satisfies ElectronHostDeps;
}

describe('Electron host handlers', () => {
  it('host.info reports electron, native files and the remembered JID', async () => {
    const handlers = createElectronHostHandlers(deps());
    expect(await handlers['host.info'](undefined)).toEqual({ kind: 'electron', hasNativeFiles: true, rememberedJid: 'alice@example.org' });
  });

  it('file.pick opens a multi-select dialog; a cancel gives []', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/a/x.txt', '/home/a/y.txt'] }));
    const handlers = createElectronHostHandlers(deps({ dialog: { showOpenDialog } }));
    expect(await handlers['file.pick'](undefined)).toEqual(['/home/a/x.txt', '/home/a/y.txt']);
    expect(showOpenDialog).toHaveBeenCalledWith({ properties: ['openFile', 'multiSelections'] });
    showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await handlers['file.pick'](undefined)).toEqual([]);
  });

  it('file.open opens only finished incoming files and picked files, never a path a send recorded', async () => {
    const d = deps();
    const handlers = createElectronHostHandlers(d);
    await handlers['file.open']({ path: '/home/a/Downloads/got.pdf' });
    expect(d.shell.openPath).toHaveBeenCalledWith('/home/a/Downloads/got.pdf');
    await expect(handlers['file.open']({ path: '/usr/bin/xterm' })).rejects.toMatchObject({ code: 'not-authorized' });
    await expect(handlers['file.reveal']({ path: '/home/a/x.txt' })).rejects.toMatchObject({ code: 'not-authorized' });
    expect(d.shell.openPath).toHaveBeenCalledTimes(1);
    expect(d.shell.showItemInFolder).not.toHaveBeenCalled();
    await handlers['file.pick'](undefined);
    await handlers['file.reveal']({ path: '/home/a/x.txt' });
    expect(d.shell.showItemInFolder).toHaveBeenCalledWith('/home/a/x.txt');
  });

  it('grants what the pickers return: picked files may be sent, a picked folder may receive', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/a/x.txt', '/home/a/y.txt'] }));
    const d = deps({ dialog: { showOpenDialog } });
    const handlers = createElectronHostHandlers(d);
    expect(d.grants.isFileGranted('/home/a/x.txt')).toBe(false);
    await handlers['file.pick'](undefined);
    expect(d.grants.isFileGranted('/home/a/x.txt')).toBe(true);
    expect(d.grants.isFileGranted('/home/a/y.txt')).toBe(true);
    showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/media/usb'] });
    expect(await handlers['file.pickFolder'](undefined)).toBe('/media/usb');
    expect(d.grants.isFolderGranted('/media/usb')).toBe(true);
  });

  it('file.open reports what shell.openPath could not do', async () => {
    const handlers = createElectronHostHandlers(deps({ shell: { openPath: async () => 'no application', showItemInFolder: vi.fn() } }));
    await expect(handlers['file.open']({ path: '/home/a/Downloads/got.pdf' })).rejects.toMatchObject({ message: 'no application' });
  });
});

describe('incoming offer notifications', () => {
  const offer = (id: string, state = 'offered', direction = 'incoming') => ({
    id, state, direction, peer: 'bob@example.org/phone', file: { name: 'photo.jpg', size: 2_500_000 },
  }) as unknown as TransferSummary;

  it('shows one notification per new incoming offer and focuses on click', () => {
    const core = createFakeCore();
    const shown: { options: unknown; click?: () => void }[] = [];
    const onClick = vi.fn();
    const dispose = notifyTransfers({
      core, onClick,
      createNotification: (options) => {
        const entry: { options: unknown; click?: () => void } = { options };
        shown.push(entry);
        return { show: vi.fn(), on: (_event: 'click', listener: () => void) => { entry.click = listener; } };
      },
    });
    core.emit('transfer.updated', offer('t1'));
    core.emit('transfer.updated', offer('t1'));
    core.emit('transfer.updated', offer('t2', 'transferring'));
    core.emit('transfer.updated', offer('t3', 'offered', 'outgoing'));
    expect(shown.map((entry) => entry.options)).toEqual([{ title: 'bob@example.org wants to send you a file', body: 'photo.jpg (2.4 MB)' }]);
    shown[0].click!();
    expect(onClick).toHaveBeenCalled();
    dispose();
    dispose();
    expect(core.listenerCount()).toBe(0);
  });

  it('names a spoofed file as it will be saved, without its bidi override', () => {
    expect(offerNotification({ ...offer('x'), file: { name: 'Invoice\u202Efdp.exe', size: 12 } } as never).body).toBe('Invoicefdp.exe (12 B)');
  });

  it('formats small sizes in bytes', () => {
    expect(offerNotification(offer('x')).body).toBe('photo.jpg (2.4 MB)');
    expect(offerNotification({ ...offer('x'), file: { name: 'a', size: 12 } } as never).body).toBe('a (12 B)');
  });
});

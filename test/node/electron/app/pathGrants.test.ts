import { describe, expect, it, vi } from 'vitest';
import { createPathGrants, guardTransferPaths, isOpenable, MAX_GRANTS } from '../../../../electron/app/pathGrants';
import type { CoreHandlers } from '../../../../electron/app/core';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';
import { defaultSettings, type Settings } from '../../../../shared/model/settings';

function coreWith() {
  const send = vi.fn(() => []);
  const accept = vi.fn();
  const handlers = { 'transfer.send': send, 'transfer.accept': accept } as unknown as CoreHandlers;
  return { handlers, send, accept };
}

const id = 't1' as TransferId;
const summary = (overrides: Partial<TransferSummary>) => ({
  id, direction: 'incoming', state: 'done', path: '/home/a/Downloads/got.pdf', ...overrides,
}) as TransferSummary;

describe('path allow-list (the host never trusts a renderer path)', () => {
  it('refuses transfer.send of a path the user did not pick, drop or stage, before the core sees it', async () => {
    const { handlers, send } = coreWith();
    const grants = createPathGrants();
    const guarded = guardTransferPaths(handlers, grants);
    expect(() => guarded['transfer.send']({ to: 'bob@x/r', paths: ['/home/a/.ssh/id_ed25519'] })).toThrow(
      expect.objectContaining({ code: 'not-authorized', message: expect.stringContaining('id_ed25519') }),
    );
    grants.grantFiles(['/home/a/x.txt']);
    expect(() => guarded['transfer.send']({ to: 'bob@x/r', paths: ['/home/a/x.txt', '/etc/shadow'] })).toThrow(
      expect.objectContaining({ code: 'not-authorized' }),
    );
    expect(send).not.toHaveBeenCalled();
    await guarded['transfer.send']({ to: 'bob@x/r', paths: ['/home/a/./x.txt'] });
    expect(send).toHaveBeenCalledWith({ to: 'bob@x/r', paths: ['/home/a/./x.txt'] });
  });

  it('allows transfer.accept into the default folder, the settings folder and picked folders only', async () => {
    const { handlers, accept } = coreWith();
    const grants = createPathGrants({ folders: ['/home/a/Downloads'] });
    const guarded = guardTransferPaths(handlers, grants);
    await guarded['transfer.accept']({ id });
    await guarded['transfer.accept']({ id, dir: '/home/a/Downloads/' });
    expect(() => guarded['transfer.accept']({ id, dir: '/home/a/.config/autostart' })).toThrow(
      expect.objectContaining({ code: 'not-authorized', message: expect.stringContaining('autostart') }),
    );
    grants.grantFolder('/media/usb');
    await guarded['transfer.accept']({ id, dir: '/media/usb' });
    expect(accept).toHaveBeenCalledTimes(3);
  });

  it('opens only finished incoming files and files the user picked, not a path a send recorded', () => {
    const grants = createPathGrants();
    grants.grantFiles(['/home/a/picked.txt']);
    const transfers = [
      summary({}),
      summary({ id: 't2' as TransferId, direction: 'outgoing', path: '/usr/bin/xterm' }),
      summary({ id: 't3' as TransferId, state: 'failed', path: '/home/a/Downloads/half.bin' }),
    ];
    expect(isOpenable('/home/a/Downloads/got.pdf', grants, transfers)).toBe(true);
    expect(isOpenable('/home/a/picked.txt', grants, transfers)).toBe(true);
    expect(isOpenable('/usr/bin/xterm', grants, transfers)).toBe(false);
    expect(isOpenable('/home/a/Downloads/half.bin', grants, transfers)).toBe(false);
  });

  it('remembers at most MAX_GRANTS files, forgetting the oldest first', () => {
    const grants = createPathGrants();
    for (let i = 0; i <= MAX_GRANTS; i += 1) grants.grantFiles([`/f/${i}`]);
    expect(grants.isFileGranted('/f/0')).toBe(false);
    expect(grants.isFileGranted('/f/1')).toBe(true);
    expect(grants.isFileGranted(`/f/${MAX_GRANTS}`)).toBe(true);
  });
});

describe('settings.set behind the allow-list', () => {
  it('takes a download folder only when it was picked or is the one already configured', async () => {
    const stored = { ...defaultSettings(), downloadDir: '/home/a/Kept' };
    const set = vi.fn((args: Settings) => args);
    const handlers = { 'settings.get': () => stored, 'settings.set': set } as unknown as CoreHandlers;
    const grants = createPathGrants({ folders: ['/home/a/Downloads'] });
    const guarded = guardTransferPaths(handlers, grants);
    await expect(guarded['settings.set']({ ...stored, downloadDir: '/home/a/.config/autostart' })).rejects.toMatchObject({ code: 'not-authorized' });
    expect(set).not.toHaveBeenCalled();
    await guarded['settings.set']({ ...stored, theme: 'dark' }); // the configured folder is kept
    await guarded['settings.set']({ ...stored, downloadDir: null });
    await guarded['settings.set']({ ...stored, downloadDir: '/home/a/Downloads' });
    grants.grantFolder('/home/a/Picked');
    await guarded['settings.set']({ ...stored, downloadDir: '/home/a/Picked' });
    expect(set).toHaveBeenCalledTimes(4);
  });
});

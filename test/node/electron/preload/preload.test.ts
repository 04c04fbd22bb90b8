import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES } from '../../../../shared/ipc/contract';
import type { FerryBridge } from '../../../../shared/ipc/bridge';

const exposed: Record<string, unknown> = {};
const ipc = vi.hoisted(() => ({
  invoke: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
}));
const getPathForFile = vi.hoisted(() => vi.fn((file: { name: string }) => (file.name === 'dropped.jpg' ? '/home/a/dropped.jpg' : '')));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
  ipcRenderer: ipc,
  webUtils: { getPathForFile },
}));

await import('../../../../electron/preload/index');
const ferry = exposed.ferry as FerryBridge;

beforeEach(() => {
  ipc.invoke.mockReset();
  ipc.on.mockReset();
  ipc.removeListener.mockReset();
});

describe('preload bridge', () => {
  it('exposes window.ferry only, with invoke, on and pathForFile only', () => {
    expect(Object.keys(exposed)).toEqual(['ferry']);
    expect(Object.keys(ferry).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('invokes on the contract channel and unwraps {ok, value}', async () => {
    ipc.invoke.mockResolvedValue({ ok: true, value: [{ jid: 'bob@x' }] });
    expect(await ferry.invoke('roster.get', undefined)).toEqual([{ jid: 'bob@x' }]);
    expect(ipc.invoke).toHaveBeenCalledWith('ferry:roster.get', undefined);
  });

  it('rejects with the WireError the host answered', async () => {
    ipc.invoke.mockResolvedValue({ ok: false, error: { code: 'not-connected', message: 'offline', stack: 'x' } });
    await expect(ferry.invoke('roster.get', undefined)).rejects.toEqual({ code: 'not-connected', message: 'offline' });
  });

  it('rejects a malformed answer as internal', async () => {
    ipc.invoke.mockResolvedValue('surprise');
    await expect(ferry.invoke('roster.get', undefined)).rejects.toMatchObject({ code: 'internal' });
  });

  it.each(['event:session.changed', '../ferry:host.info', 'electron.openExternal', '', 'constructor', '__proto__'])(
    'refuses the non-contract name %j without touching IPC', async (name) => {
      await expect(ferry.invoke(name as never, undefined as never)).rejects.toMatchObject({ code: 'bad-request' });
      expect(ipc.invoke).not.toHaveBeenCalled();
    },
  );

  it('subscribes to contract events, hides the IPC event from the listener and unsubscribes once', () => {
    const listener = vi.fn();
    const unsubscribe = ferry.on('transfer.updated', listener);
    expect(ipc.on).toHaveBeenCalledWith('ferry:event:transfer.updated', expect.any(Function));
    const forward = ipc.on.mock.calls[0][1] as (event: unknown, payload: unknown) => void;
    forward({ sender: 'secret ipcRenderer' }, { id: 't1' });
    expect(listener).toHaveBeenCalledWith({ id: 't1' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    unsubscribe();
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(ipc.removeListener).toHaveBeenCalledWith('ferry:event:transfer.updated', forward);
  });

  it('subscribes to every contract event name and to nothing else', () => {
    for (const name of EVENT_NAMES) ferry.on(name, () => undefined);
    expect(ipc.on.mock.calls.map(([channel]) => channel)).toEqual(EVENT_NAMES.map((name) => `ferry:event:${name}`));
    expect(() => ferry.on('ferry:host.info' as never, () => undefined)).toThrow(/unknown event/);
    expect(() => ferry.on('session.login' as never, () => undefined)).toThrow(/unknown event/);
    expect(ipc.on).toHaveBeenCalledTimes(EVENT_NAMES.length);
  });

  it('pathForFile answers the path of a dropped file and null for a File made in JS', () => {
    ipc.send.mockReset();
    expect(ferry.pathForFile(new File(['x'], 'dropped.jpg'))).toBe('/home/a/dropped.jpg');
    expect(ferry.pathForFile(new File(['x'], 'made.txt'))).toBeNull();
    // Only the real path is told to the main process, which then allows it in transfer.send.
    expect(ipc.send.mock.calls).toEqual([['ferry:drop:path', '/home/a/dropped.jpg']]);
    getPathForFile.mockImplementationOnce(() => { throw new TypeError('not a File'); });
    expect(ferry.pathForFile({ name: 'fake' })).toBeNull();
  });
});

import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/App';
import { SettingsPanel } from '../../../../renderer/features/settings/SettingsPanel';
import { ThemeApplier } from '../../../../renderer/features/settings/ThemeApplier';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { settingsStore } from '../../../../renderer/stores/settingsStore';
import { defaultSettings, type Settings } from '../../../../shared/model/settings';
import { ONLINE, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

let bridge: FakeBridge;
beforeEach(() => {
  settingsStore.setState(settingsStore.getInitialState(), true);
  bridge = useFakeBridge({
    'settings.get': () => defaultSettings(),
    'settings.set': (args) => args,
  });
  delete document.documentElement.dataset.theme;
});
afterEach(() => cleanup());

async function openPanel(): Promise<void> {
  await act(async () => { await settingsStore.getState().load(); settingsStore.getState().open(); });
  render(<><ThemeApplier /><SettingsPanel /></>);
}

const lastSaved = (): Settings => bridge.argsOf('settings.set').at(-1) as Settings;

describe('SettingsPanel', () => {
  it('opens from the header\'s Settings button', async () => {
    sessionStore.getState().applySnapshot(ONLINE);
    render(<App />);
    await act(async () => { await settingsStore.getState().load(); });
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });

  it('adds an auto-accept rule and saves it with Save', async () => {
    await openPanel();
    fireEvent.change(screen.getByLabelText('Contact'), { target: { value: 'bob@localhost' } });
    fireEvent.change(screen.getByLabelText('Up to (MB)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(within(screen.getByRole('list', { name: 'Auto-accept rules' })).getByText('image/* from bob@localhost, up to 5.0 MB')).toBeTruthy();
    expect(bridge.argsOf('settings.set')).toEqual([]);
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(lastSaved().autoAccept).toEqual([{ contact: 'bob@localhost', mediaType: 'image/*', maxSizeBytes: 5 * 1024 * 1024 }]);
    expect(screen.getByRole('status').textContent).toBe('Saved');
  });

  it('says inline what is wrong with a rule and adds nothing', async () => {
    await openPanel();
    fireEvent.change(screen.getByLabelText('Contact'), { target: { value: 'not an address' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(screen.getByRole('alert').textContent).toMatch(/is not a contact address/);
    expect(screen.queryByRole('list', { name: 'Auto-accept rules' })).toBeNull();
  });

  it('shows an inline error for a bad port range and an address, and Save waits until they are fixed', async () => {
    await openPanel();
    fireEvent.change(screen.getByLabelText('From port'), { target: { value: '9000' } });
    fireEvent.change(screen.getByLabelText('To port'), { target: { value: '8000' } });
    expect(screen.getByText('the first port must not be above the last')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Extra addresses to offer (your external IP)'), { target: { value: '203.0.113.7, bad!' } });
    expect(screen.getByText('"bad!" is not an IP address or host name')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('To port'), { target: { value: '9010' } });
    fireEvent.change(screen.getByLabelText('Extra addresses to offer (your external IP)'), { target: { value: '203.0.113.7' } });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(lastSaved()).toMatchObject({ socks5Ports: { first: 9000, last: 9010 }, extraAddresses: ['203.0.113.7'] });
  });

  it('applies a theme at once, keeps it on Save, and drops it on Cancel', async () => {
    await openPanel();
    fireEvent.click(screen.getByLabelText('Dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    act(() => settingsStore.getState().open());
    fireEvent.click(screen.getByLabelText('Light'));
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(lastSaved().theme).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('reorders the preferred methods and toggles a notification', async () => {
    await openPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Move Direct (older clients, SI) up' }));
    fireEvent.click(screen.getByLabelText('A transfer is done'));
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(lastSaved().methodOrder).toEqual(['si', 'jingle', 'http-upload', 'kontalk']);
    expect(lastSaved().notifications.transferDone).toBe(false);
  });

  it('turns "Tell contacts when I am typing" off (XEP-0085 §5.1: the user may disable chat states)', async () => {
    await openPanel();
    const box = screen.getByLabelText('Tell contacts when I am typing') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(lastSaved().sendChatStates).toBe(false);
  });

  it('says the method order is followed, and no longer that anything is not applied', async () => {
    await openPanel();
    expect(screen.queryByText(/does not yet notify/)).toBeNull();
    expect(screen.queryByText(/does not follow it yet/)).toBeNull();
    expect(screen.getByText(/tries the ones that fit in this order/)).toBeTruthy();
  });

  it('shows the host\'s refusal and keeps the panel open', async () => {
    bridge.handle('settings.set', () => { throw { code: 'not-authorized', message: 'Ferry only saves into the download folder or a folder you picked' }; });
    await openPanel();
    fireEvent.change(screen.getByLabelText('Download folder'), { target: { value: '/tmp/x' } });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Save' })); });
    expect(screen.getByRole('alert').textContent).toMatch(/folder you picked/);
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });
});

describe('settings applied in the renderer', () => {
  it('"Ask where to save every time" turns Accept into a folder pick where the host has native dialogs', async () => {
    const { transfersStore } = await import('../../../../renderer/stores/transfersStore');
    bridge.handle('host.info', () => ({ kind: 'electron', hasNativeFiles: true, rememberedJid: null }));
    bridge.handle('file.pickFolder', () => '/home/alice/Picked');
    bridge.handle('transfer.accept', () => undefined);
    await act(async () => { await sessionStore.getState().init(); });
    settingsStore.getState().apply({ ...defaultSettings(), askWhereToSave: true });
    await act(async () => { await transfersStore.getState().accept('t1' as never); });
    expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1', dir: '/home/alice/Picked' }]);
    settingsStore.getState().apply(defaultSettings());
    await act(async () => { await transfersStore.getState().accept('t2' as never); });
    expect(bridge.argsOf('transfer.accept').at(-1)).toEqual({ id: 't2' });
  });
});

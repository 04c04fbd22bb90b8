/** The settings domain: the account's settings as the host has them, whether the panel is open, saving. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Settings, Theme } from '../../shared/model/settings';
import { api } from '../api';
import { createAttempt } from './attempt';

export interface SettingsState {
  /** Null until loaded (then the host's defaults or the stored values). */
  settings: Settings | null;
  isOpen: boolean;
  /** A theme picked in the panel but not saved yet: shown at once, dropped on cancel. */
  previewTheme: Theme | null;
  errorText: string | null;
  load(): Promise<void>;
  apply(settings: Settings): void;
  /** Resolves whether the host took them. */
  save(settings: Settings): Promise<boolean>;
  open(): void;
  close(): void;
  preview(theme: Theme | null): void;
}

/** The one settings store; reset in tests with setState(getInitialState(), true). */
export const settingsStore = createStore<SettingsState>()((set) => {
  const attempt = createAttempt(set);
  return {
    settings: null,
    isOpen: false,
    previewTheme: null,
    errorText: null,
    async load() {
      await attempt(async () => { set({ settings: await api.invoke('settings.get') }); });
    },
    apply(settings) {
      set({ settings });
    },
    async save(settings) {
      let saved: Settings | null = null;
      const isSaved = await attempt(async () => { saved = await api.invoke('settings.set', settings); });
      if (isSaved && saved) set({ settings: saved, previewTheme: null });
      return isSaved;
    },
    open: () => set({ isOpen: true, errorText: null }),
    close: () => set({ isOpen: false, previewTheme: null, errorText: null }),
    preview: (theme) => set({ previewTheme: theme }),
  };
});

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(settingsStore, selector);
}

/** The theme to show: the panel's preview, else the saved one, else the system's. */
export function selectTheme(state: SettingsState): Theme {
  return state.previewTheme ?? state.settings?.theme ?? 'system';
}

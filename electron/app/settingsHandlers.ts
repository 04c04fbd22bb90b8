import type { CoreHandlers } from './core';
import type { CoreServices } from './coreServices';

/** The settings.* part of the core handlers. */
export type SettingsHandlers = Pick<CoreHandlers, `settings.${string}` & keyof CoreHandlers>;

/** Thin calls into the settings service (payloads were checked at the boundary: shared/model/settings.ts). */
export function createSettingsHandlers(services: CoreServices): SettingsHandlers {
  const { settings } = services;
  return {
    'settings.get': async () => await settings.get(),
    'settings.set': async (args) => await settings.set(args),
  };
}

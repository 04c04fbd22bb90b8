import type { Core, CoreHandlers } from './core';
import { createCoreServices, type CoreOptions } from './coreServices';
import { createTransferHandlers } from './transferHandlers';
import { createSettingsHandlers } from './settingsHandlers';
import { createXmppHandlers } from './xmppHandlers';

export type { CoreOptions };

/**
 * Builds the core that every host drives (Electron, web, CLI): the services, then one handler per core
 * request. Wiring only; logic lives in electron/xmpp/ (and electron/transfer/).
 */
export function createCore(options: CoreOptions): Core {
  const services = createCoreServices(options);
  const handlers: CoreHandlers = { ...createXmppHandlers(services), ...createTransferHandlers(services), ...createSettingsHandlers(services) };
  let disposed: Promise<void> | null = null;
  return {
    handlers,
    on: (name, listener) => services.events.on(name, listener),
    dispose: async () => {
      disposed ??= services.dispose();
      await disposed;
    },
  };
}

import { FerryError } from '../../shared/ipc/wireError';
import { discoverServer } from '../xmpp/serverDiscovery';
import type { CoreHandlers } from './core';
import type { CoreServices } from './coreServices';

/** Handlers of every core request but transfer.* and settings.*: thin calls into the services. */
export type XmppHandlers = Omit<CoreHandlers, `transfer.${string}` | `settings.${string}`>;

/** Builds the session, presence, roster, chat and disco handlers. */
export function createXmppHandlers(services: CoreServices): XmppHandlers {
  const { session, presence, roster, chat, chatStates, archive, disco, peers } = services;
  const credentials = services.options.credentials;
  return {
    'session.login': async (args) => {
      const snapshot = await session.login(args);
      if (args.remember && credentials) {
        // The login succeeded: a password that cannot be remembered (no keyring, disk full) must not undo it.
        await credentials.save({ jid: args.jid, password: args.password, service: args.service, allowPlaintext: args.allowPlaintext })
          .catch((error: unknown) => services.log(`the password could not be remembered: ${error instanceof Error ? error.message : String(error)}`));
      } else if (args.remember === false && credentials) {
        // An explicit "do not remember" (the web form unticked over a remembered address) forgets it.
        await credentials.clear().catch((error: unknown) => services.log(`the remembered login could not be forgotten: ${String(error)}`));
      }
      return snapshot;
    },
    'session.loginRemembered': async () => {
      const saved = credentials ? await credentials.load() : null;
      if (!saved) throw new FerryError('not-found', 'No login is remembered on this computer.');
      return await session.login(saved);
    },
    'session.logout': async () => {
      // The peers of running transfers hear who ended them, whichever host asked for the logout; what was
      // running is stored interrupted, as at a quit (issue #10), its received bytes kept for a resume.
      const stopped = await services.transfers.stopAllForLogout();
      services.transferHistory.interruptStopped(stopped);
      return await session.logout();
    },
    'session.get': () => session.snapshot,
    'presence.set': async ({ show, status }) => await presence.set(show, status),
    'roster.get': () => roster.list(),
    'roster.add': async ({ jid, name }) => await roster.add(jid, name),
    'roster.remove': async ({ jid }) => await roster.remove(jid),
    'roster.approve': async ({ jid }) => await roster.approve(jid),
    'roster.deny': async ({ jid }) => await roster.deny(jid),
    'roster.pendingRequests': () => roster.pendingRequests(),
    'chat.send': async ({ to, body }) => await chat.send(to, body),
    'chat.state': async ({ to, state }) => await chatStates.send(to, state),
    'chat.history': async ({ jid, before }) => await archive.history(jid, before),
    'disco.server': async () => await discoverServer({ session, disco }),
    'disco.peer': async ({ jid }) => await peers.features(jid),
  };
}

/** Feeds host events into the stores and loads each domain when the session comes online. */
import type { FerryApi } from '../api';
import { chatsStore } from './chatsStore';
import { watchEndNotifications } from './endNotifications';
import { watchOfferNotifications } from './offerNotifications';
import { revealStore } from './revealStore';
import { rosterStore } from './rosterStore';
import { sessionStore } from './sessionStore';
import { transfersStore } from './transfersStore';
import { watchWindowTitle } from './windowTitle';
import { settingsStore } from './settingsStore';

/** Empties the per-account stores (after logout). */
export function resetAccountStores(): void {
  rosterStore.setState(rosterStore.getInitialState(), true);
  chatsStore.setState(chatsStore.getInitialState(), true);
  transfersStore.setState(transfersStore.getInitialState(), true);
  settingsStore.setState(settingsStore.getInitialState(), true);
}

function loadAccount(): void {
  void rosterStore.getState().load();
  void transfersStore.getState().load();
  void settingsStore.getState().load();
  const open = chatsStore.getState().openJid;
  if (open) void chatsStore.getState().open(open);
}

/**
 * Subscribes the stores to the api's events, then asks the host where things stand.
 * Returns a function that undoes every subscription.
 */
export function connectStores(source: FerryApi): () => void {
  const offs = [
    source.on('session.changed', (snapshot) => sessionStore.getState().applySnapshot(snapshot)),
    source.on('roster.changed', (items) => {
      rosterStore.getState().setItems(items);
      // A "could not send: bob is offline" line is stale once bob is back: it goes.
      const errors = transfersStore.getState().sendErrorByPeer;
      for (const item of items) if (item.resources.length > 0 && errors[item.jid]) transfersStore.getState().dismissSendError(item.jid);
    }),
    source.on('roster.subscriptionRequested', (request) => rosterStore.getState().addRequest(request)),
    source.on('chat.received', (message) => chatsStore.getState().receive(message)),
    source.on('chat.delivered', (delivered) => chatsStore.getState().markDelivered(delivered)),
    source.on('chat.stateChanged', (change) => chatsStore.getState().receiveState(change)),
    source.on('transfer.updated', (summary) => transfersStore.getState().upsert(summary)),
    source.on('transfer.removed', ({ id }) => transfersStore.getState().drop(id)),
    source.on('settings.changed', (settings) => settingsStore.getState().apply(settings)),
    source.on('ui.reveal', ({ peer, transferId }) => revealStore.getState().reveal(peer, transferId)),
    source.onLinkState((link) => {
      const wasDown = sessionStore.getState().link !== 'open';
      sessionStore.getState().setLink(link);
      if (link === 'open' && wasDown) void sessionStore.getState().init();
    }),
    watchOfferNotifications(),
    watchEndNotifications(),
    watchWindowTitle(),
    sessionStore.subscribe((state, prev) => {
      const cameOnline = state.snapshot.state === 'online' && prev.snapshot.state !== 'online';
      if (cameOnline) loadAccount();
      if (prev.hasSession && !state.hasSession) resetAccountStores();
    }),
  ];
  void sessionStore.getState().init();
  return () => offs.forEach((off) => off());
}

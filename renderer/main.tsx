/** React root: connects the stores to the host, then renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './App';
import { connectStores } from './stores/connectStores';
import { preventStrayDrops } from './features/transfers/useFileDrop';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
connectStores(api);
preventStrayDrops(window);
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

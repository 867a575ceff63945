import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './ui/tokens.css';
import './ui/styles.css';

/**
 * The service worker lets the web app open with no network. Only in production builds (the
 * dev server's modules are not precached) and only over http(s): under Electron's app://
 * the files are already on disk.
 */
function registerServiceWorker(): void {
  const servedOverHttp = location.protocol === 'http:' || location.protocol === 'https:';
  if (!import.meta.env.PROD || !servedOverHttp || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
      console.warn('Reclaim could not install its offline copy; it still works while this tab stays open.', error);
    });
  });
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerServiceWorker();

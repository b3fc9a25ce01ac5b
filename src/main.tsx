import { render } from 'preact';
import { ensureAccount } from './account/account';
import { App } from './app';
import { loadMessages } from './messages/messages';
import { registerServiceWorker } from './pwa/registration';
import { registerPeriodicSync } from './sync/background-registration';
import { lastRun, startPageSync } from './sync/sync-client';
import './styles/app.css';

// Entry: wiring only.
render(<App />, document.getElementById('app') as HTMLElement);
registerServiceWorker();
const lifetime = new AbortController();
void ensureAccount(lifetime.signal).then(() => {
  startPageSync(lifetime.signal);
  lastRun.subscribe(() => void loadMessages());
  void registerPeriodicSync();
});

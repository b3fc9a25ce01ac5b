import { render } from 'preact';
import { ensureAccount } from './account/account';
import { watchRevocation } from './account/revocation';
import { App } from './app';
import { armband } from './armband/armband-control';
import { onNewerVersion } from './db/schema';
import { loadMessages } from './messages/messages';
import { startPacing } from './pacing/pacing-control';
import { recheckPushSubscription } from './push/push-subscription';
import { showUnreadOnAppBadge } from './pwa/badge';
import { watchInstallPrompt } from './pwa/install-prompt';
import { routeLaunches } from './pwa/launch-queue';
import { registerServiceWorker } from './pwa/registration';
import { watchStorage } from './storage/storage-health';
import { registerPeriodicSync } from './sync/background-registration';
import { lastRun, startPageSync } from './sync/sync-client';
import './styles/app.css';

// Entry: wiring only.
onNewerVersion(() => location.reload());
render(<App />, document.getElementById('app') as HTMLElement);
registerServiceWorker();
void armband(); // loads the armband owner after first render; it reconnects a remembered armband
void startPacing(); // pacing alerts on every screen, loaded after first render too
const lifetime = new AbortController();
watchStorage(lifetime.signal);
watchInstallPrompt(lifetime.signal);
showUnreadOnAppBadge(lifetime.signal);
routeLaunches();
void ensureAccount(lifetime.signal).then(() => {
  watchRevocation(lifetime.signal);
  startPageSync(lifetime.signal);
  lastRun.subscribe(() => void loadMessages());
  void registerPeriodicSync();
  void recheckPushSubscription();
});

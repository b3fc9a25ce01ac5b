import { launchChromiumEngine } from '../helpers/chromium-engine';
import { coreScenario } from './engine-scenario';

// Chromium without Web Bluetooth flags: every background API, the demo armband. What only
// Chromium has, background events with no page open, is covered by sync-background.test.ts,
// push-refresh.test.ts and backup-background-fetch.test.ts.
coreScenario(launchChromiumEngine, 18312, {
  'nightly-sync': 'periodic-sync',
  'upload-retry': 'background-sync',
  'other-devices': 'push',
  backups: 'background-fetch',
  armband: 'demo',
  'tab-coordination': 'web-locks',
  storage: 'storage-api',
});

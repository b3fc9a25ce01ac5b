import { PAGE_SYNC_INTERVAL_MS } from '../shared/background-tags';
import type { BrowserSurface } from './browser-surface';

/** How Steady does each job in a given browser: with the platform API made for it, or by its fallback. */
export type FeatureMechanisms = {
  offline: 'service-worker' | 'online-only';
  'nightly-sync': 'periodic-sync' | 'open-or-push' | 'open';
  'upload-retry': 'background-sync' | 'page';
  'other-devices': 'push' | 'page';
  backups: 'background-fetch' | 'in-page';
  alerts: 'notifications' | 'in-page';
  armband: 'web-bluetooth' | 'demo';
  'tab-coordination': 'web-locks' | 'in-context';
  storage: 'storage-api' | 'none';
};

export type Feature = keyof FeatureMechanisms;

/** One job, the mechanism this browser gets, and the sentence Settings shows for it. */
export interface FeatureRow<F extends Feature = Feature> {
  feature: F;
  title: string;
  mechanism: FeatureMechanisms[F];
  /** True when Steady does the job without the API made for it. */
  fallback: boolean;
  says: string;
}

const PAGE_SYNC_MINUTES = PAGE_SYNC_INTERVAL_MS / 60_000;

function row<F extends Feature>(
  feature: F,
  title: string,
  mechanism: FeatureMechanisms[F],
  fallback: boolean,
  says: string,
): FeatureRow<F> {
  return { feature, title, mechanism, fallback, says };
}

/** The one capability model: every job Steady does, mapped to this browser's way of doing it. Pure. */
export function capabilityModel(has: BrowserSurface): FeatureRow[] {
  const worker = has.serviceWorker;
  const push = worker && has.push;
  return [
    worker
      ? row('offline', 'Offline', 'service-worker', false, 'Steady is kept on this device and opens without a connection.')
      : row('offline', 'Offline', 'online-only', true, 'This browser has no service workers: Steady works only while online here.'),
    worker && has.periodicSync
      ? row(
          'nightly-sync',
          'Nightly sync',
          'periodic-sync',
          false,
          'The browser wakes Steady about once a day, even when it is closed (installed app only; the browser picks the time).',
        )
      : push
        ? row(
            'nightly-sync',
            'Nightly sync',
            'open-or-push',
            true,
            'Runs when you open Steady or when the server nudges you: this browser has no periodic background sync.',
          )
        : row(
            'nightly-sync',
            'Nightly sync',
            'open',
            true,
            'Runs when you open Steady: this browser has no periodic background sync and cannot be nudged by the server.',
          ),
    worker && has.backgroundSync
      ? row('upload-retry', 'Unfinished uploads', 'background-sync', false, 'Finish once the network is back, even after you close Steady.')
      : row(
          'upload-retry',
          'Unfinished uploads',
          'page',
          true,
          `Finish while Steady is open: when you open it, come back online or return to it, and every ${PAGE_SYNC_MINUTES} minutes while it is on screen. This browser has no background sync; nothing is lost meanwhile.`,
        ),
    push
      ? row(
          'other-devices',
          'News from your other devices',
          'push',
          false,
          'The server can wake Steady with a push message once you turn updates on.',
        )
      : row(
          'other-devices',
          'News from your other devices',
          'page',
          true,
          'Arrives when you open Steady: this browser cannot receive push messages here (Safari only can once Steady is on the home screen).',
        ),
    worker && has.backgroundFetch
      ? row(
          'backups',
          'Large backups',
          'background-fetch',
          false,
          'Keep moving when you leave the page, with the browser’s own progress notice.',
        )
      : row(
          'backups',
          'Large backups',
          'in-page',
          true,
          'Move while Steady is open and resume from where they stopped: this browser has no background fetch.',
        ),
    has.notifications
      ? row('alerts', 'Pacing alerts', 'notifications', false, 'Shown as notifications, also when the tab is hidden.')
      : row(
          'alerts',
          'Pacing alerts',
          'in-page',
          true,
          'Shown inside Steady only, with vibration where the device allows: this browser has no notifications.',
        ),
    has.webBluetooth
      ? row('armband', 'Armband', 'web-bluetooth', false, 'Pairs with your armband over Bluetooth and records its heart rate.')
      : row(
          'armband',
          'Armband',
          'demo',
          true,
          'No armband can connect in this browser (it has no Web Bluetooth); the demo armband shows how Steady works. Chrome or Edge can pair one.',
        ),
    has.webLocks
      ? row('tab-coordination', 'Several tabs', 'web-locks', false, 'Take turns, so only one syncs at a time.')
      : row(
          'tab-coordination',
          'Several tabs',
          'in-context',
          true,
          'Each tab syncs on its own: this browser has no Web Locks. The server ignores an upload it already has, so nothing is doubled.',
        ),
    has.storageManager
      ? row('storage', 'Storage', 'storage-api', false, 'Steady can ask the browser to keep its data and show how much space it uses.')
      : row(
          'storage',
          'Storage',
          'none',
          true,
          'This browser has no Storage API: Steady cannot ask it to keep its data under storage pressure or show the space used. Your data is still saved on this device.',
        ),
  ];
}

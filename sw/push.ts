import { firstDelivery } from '../src/db/push-dedup';
import { runSyncExclusive } from '../src/db/sync-runner';
import { NOTIFICATION_TAGS } from '../src/shared/names';
import { parsePushTickle } from '../src/shared/push-tickle';
import { updateBadgeAfterPush } from './badge';
import { describePushResult, type NotificationContent } from './notify';
import { keepPushSubscription } from './push-subscription';

declare const self: ServiceWorkerGlobalScope;

/** Notification action that opens the check-in. */
export const ACTION_CHECK_IN = 'log-checkin';

/**
 * Push-triggered refresh: a push wakes the worker, which pulls under the same lock as every
 * other sync, then either updates a visible Steady window or shows a notification saying what
 * changed. A notification is always shown when no window is visible, so Chrome never falls back
 * to its generic "updated in the background" notice (userVisibleOnly).
 */
export function handlePushEvents(): void {
  self.addEventListener('push', (event) => {
    event.waitUntil(handlePush(event.data?.text()));
  });

  self.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const target = event.action === ACTION_CHECK_IN ? '/check-in' : ((event.notification.data as { url?: string } | null)?.url ?? '/');
    event.waitUntil(openOrFocus(target));
  });
}

async function handlePush(text: string | undefined): Promise<void> {
  const tickle = parsePushTickle(text);
  if (!tickle) {
    // Not ours or malformed: still obliged to show something, so say so honestly.
    await self.registration.showNotification('Steady', {
      body: 'Open Steady to see what is new.',
      tag: NOTIFICATION_TAGS.syncStatus,
      silent: true,
      data: { url: '/' },
    });
    return;
  }
  if (!(await firstDelivery(tickle.id))) {
    // A redelivery: the work was done; a quiet notice keeps the browser from showing its own.
    return showIfHidden({
      title: 'Steady is up to date',
      body: 'Nothing new since the last update.',
      tag: NOTIFICATION_TAGS.syncStatus,
      url: '/sync',
      silent: true,
    });
  }
  const entry = await runSyncExclusive('push');
  const content = describePushResult(tickle, entry);
  await showIfHidden(content);
  await updateBadgeAfterPush(tickle, entry);
  // The notification first: it must not wait on the push service.
  await keepPushSubscription('push');
}

async function showIfHidden(content: NotificationContent): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // A visible window already shows the new data (it hears SYNC_FINISHED on the sync channel).
  if (windows.some((client) => client.visibilityState === 'visible')) return;
  await self.registration.showNotification(content.title, {
    body: content.body,
    tag: content.tag,
    silent: content.silent,
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: { url: content.url },
    // @ts-expect-error `actions` is in the Notifications spec and Chrome, not yet in TypeScript's lib.
    actions: [{ action: ACTION_CHECK_IN, title: 'Log how I feel' }],
  });
}

async function openOrFocus(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows[0];
  if (existing) {
    await existing.focus();
    if (new URL(existing.url).pathname !== url) await existing.navigate(url).catch(() => undefined);
    return;
  }
  await self.clients.openWindow(url);
}

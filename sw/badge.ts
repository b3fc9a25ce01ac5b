import { docsOfKind } from '../src/db/docs';
import { badgeNeedsUpdate, unreadCount } from '../src/shared/app-badge';
import type { PushTickle } from '../src/shared/push-tickle';
import type { SyncLogEntry } from '../src/shared/sync/sync-store';

/**
 * After a push's sync run, shows the unread message count on the app icon as the page does
 * (src/pwa/badge.ts), where the browser has the Badging API; never throws.
 */
export async function updateBadgeAfterPush(tickle: PushTickle, entry: SyncLogEntry): Promise<void> {
  if (!('setAppBadge' in navigator) || !badgeNeedsUpdate(tickle, entry.pulled)) return;
  try {
    const [messages, reads] = await Promise.all([docsOfKind('message'), docsOfKind('message-read')]);
    const unread = unreadCount(messages, reads);
    await (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge());
  } catch (error) {
    // Refused (badges off, not installed): the in-app badge still shows the count on the next open.
    console.warn('app badge not updated after push', error);
  }
}

import { NOTIFICATION_TAGS } from '../src/shared/names';
import type { PushTickle } from '../src/shared/push-tickle';
import type { SyncLogEntry } from '../src/shared/sync/sync-store';

/** What a notification after a push says: what changed, in words, and where a tap leads. */
export interface NotificationContent {
  title: string;
  body: string;
  /** Notifications with the same tag replace each other. */
  tag: string;
  url: string;
  silent: boolean;
}

function duration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Pure: the notification for a push, given what the sync run it triggered did. */
export function describePushResult(tickle: PushTickle, entry: SyncLogEntry): NotificationContent {
  const docs = entry.pulled?.docs ?? {};
  const messages = docs.message ?? 0;
  const checkins = docs.checkin ?? 0;
  const minutes = entry.pulled?.chunks ?? 0;
  if (tickle.type === 'message' || messages > 0) {
    return {
      title: messages > 1 ? `${messages} new messages` : 'New message',
      body: messages > 1 ? 'Open Steady to read them.' : 'Open Steady to read it.',
      tag: NOTIFICATION_TAGS.messages,
      url: '/messages',
      silent: false,
    };
  }
  const failed = entry.outcome === 'offline' || entry.outcome === 'retry-later' || entry.outcome === 'error';
  if (failed) {
    return {
      title: 'Steady could not sync',
      body: `${entry.error ?? entry.outcome}. It will try again.`,
      tag: NOTIFICATION_TAGS.syncStatus,
      url: '/sync',
      silent: true,
    };
  }
  const parts: string[] = [];
  if (minutes > 0) parts.push(`${duration(minutes)} of heart-rate data`);
  if (checkins > 0) parts.push(checkins === 1 ? '1 check-in' : `${checkins} check-ins`);
  if (parts.length > 0) {
    return {
      title: 'Synced from your other devices',
      body: `Synced ${parts.join(' and ')} from your other devices.`,
      tag: NOTIFICATION_TAGS.syncStatus,
      url: '/sync',
      silent: true,
    };
  }
  const up = entry.upRecords > 0 ? ` Sent ${entry.upRecords} records from this device.` : '';
  return {
    title: 'Steady is up to date',
    body: `Nothing new from your other devices.${up}`,
    tag: NOTIFICATION_TAGS.syncStatus,
    url: '/sync',
    silent: true,
  };
}

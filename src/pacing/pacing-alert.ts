import { NOTIFICATION_TAGS } from '../shared/names';
import type { NotifyReason } from '../shared/pacing/alert-policy';
import { type AlertDelivery, notificationPermission } from './pacing-state';

/** The tag every pacing notification carries: a new alert replaces the last one instead of stacking. */

/** Two short buzzes: noticeable, not alarming. */
const VIBRATION_PATTERN = [200, 100, 200];

/** `navigator.serviceWorker.ready` never settles without a worker (first visit, unsupported): do not wait forever. */
const WORKER_WAIT_MS = 3_000;

/** What an alert says, and how. */
export interface AlertMessage {
  bpm: number;
  threshold: number;
  /** How long HR has been at or above the threshold, in ms. */
  aboveMs: number;
  vibrate: boolean;
  demo: boolean;
  /** A new episode, an alert held through quiet hours, or a gentle repeat (no vibration). */
  reason: NotifyReason;
}

/** Options Chrome honours that TypeScript's DOM lib does not list yet (Notifications API, "renotify", "vibrate"). */
type FullNotificationOptions = NotificationOptions & { renotify?: boolean; vibrate?: number[] };

/** The notification's title. */
export function alertTitle(reason: NotifyReason): string {
  return reason === 'repeat' ? 'Still above your threshold' : 'Time to rest';
}

/** The notification's body: the numbers, then what to do. */
export function alertBody({ bpm, threshold, aboveMs, demo, reason }: AlertMessage): string {
  const seconds = Math.max(1, Math.round(aboveMs / 1000));
  const minutes = Math.max(1, Math.round(aboveMs / 60_000));
  const text =
    reason === 'repeat'
      ? `Heart rate ${bpm} bpm, above your ${threshold} bpm threshold for ${minutes} min — a gentle reminder to rest`
      : reason === 'quiet-hours-ended'
        ? `Heart rate ${bpm} bpm, still above your ${threshold} bpm threshold after quiet hours (${minutes} min) — time to rest`
        : `Heart rate ${bpm} bpm, above your ${threshold} bpm threshold for ${seconds} s — time to rest`;
  return demo ? `${text} (demo armband)` : text;
}

/**
 * Tells the person their heart rate has stayed over the threshold: a vibration where the page
 * may vibrate, and a notification through the service worker registration, which shows even
 * while the tab is hidden (a page's own `new Notification()` is not allowed on Android).
 * Answers how it was delivered; 'in-page' means the page must show it itself.
 */
export async function deliverAlert(message: AlertMessage): Promise<{ delivery: AlertDelivery; problem: string | null }> {
  // A gentle repeat never vibrates. Without a recent tap Chrome ignores vibrate() (it returns
  // false): the notification's own pattern covers that.
  const vibrate = message.vibrate && message.reason !== 'repeat';
  if (vibrate && typeof navigator.vibrate === 'function') navigator.vibrate(VIBRATION_PATTERN);
  if (typeof Notification === 'undefined' || !('serviceWorker' in navigator)) {
    return { delivery: 'in-page', problem: 'This browser cannot show notifications.' };
  }
  if (Notification.permission !== 'granted') {
    return { delivery: 'in-page', problem: 'Notifications are not allowed for Steady.' };
  }
  try {
    const registration = await withTimeout(navigator.serviceWorker.ready, WORKER_WAIT_MS);
    const options: FullNotificationOptions = {
      body: alertBody(message),
      tag: NOTIFICATION_TAGS.pacing,
      renotify: true,
      requireInteraction: false,
      silent: false,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      // Read by the service worker's notificationclick: Today is where the reading is.
      data: { url: '/' },
      ...(vibrate ? { vibrate: VIBRATION_PATTERN } : {}),
    };
    await registration.showNotification(alertTitle(message.reason), options);
    return { delivery: 'notification', problem: null };
  } catch (error) {
    console.error('Steady: could not show the pacing notification', error);
    return { delivery: 'in-page', problem: error instanceof Error ? error.message : String(error) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The service worker is not ready, so no notification could be shown.')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Asks for notification permission; call it from a tap (browsers ignore or penalise unprompted requests). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  const answer = await Notification.requestPermission();
  notificationPermission.value = answer;
  return answer;
}

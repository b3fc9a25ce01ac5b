import { effect } from '@preact/signals';
import { unreadMessages } from '../messages/messages';

/**
 * Shows the unread message count on the installed app's icon (Badging API,
 * https://w3c.github.io/badging/) where the browser has it; elsewhere the navigation badge is all.
 */
export function showUnreadOnAppBadge(lifetime: AbortSignal): void {
  if (!('setAppBadge' in navigator)) return;
  const stop = effect(() => {
    const unread = unreadMessages.value;
    const done = unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge();
    // Refused (not installed on some platforms, or badges turned off): the in-app badge still shows it.
    done.catch(() => undefined);
  });
  lifetime.addEventListener('abort', stop, { once: true });
}

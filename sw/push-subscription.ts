import { openSteadyDb } from '../src/db/schema';
import { exclusive } from '../src/shared/exclusive';
import { apiCaller } from '../src/shared/http-client';
import { LOCKS } from '../src/shared/names';
import { checkPushSubscription, type PushSubscriptionDeps, subscribeBrowser } from '../src/shared/push-subscription-flow';

declare const self: ServiceWorkerGlobalScope;

/** This device's credentials and the worker's PushManager; null before the account exists. */
async function pushDeps(): Promise<PushSubscriptionDeps | null> {
  const credentials = await (await openSteadyDb()).get('meta', 'credentials');
  if (!credentials) return null;
  return {
    pushManager: self.registration.pushManager,
    call: apiCaller((input, init) => fetch(input, init), ''),
    token: credentials.deviceToken,
  };
}

/**
 * The same re-check as the page's on open, from the worker: Chrome never fires
 * `pushsubscriptionchange`, so each background wake-up is a chance to notice a changed key or
 * a lost subscription. Never throws: a failed check waits for the next wake-up.
 */
export async function keepPushSubscription(after: string): Promise<void> {
  try {
    const deps = await pushDeps();
    if (!deps) return;
    const { decision } = await exclusive(LOCKS.pushSubscription, {}, () => checkPushSubscription(deps));
    if (decision.action !== 'none') console.info(`push subscription after ${after}: ${decision.action} (${decision.reason})`);
  } catch (error) {
    console.warn(`push subscription check after ${after} failed; the next wake-up tries again`, error);
  }
}

/**
 * `pushsubscriptionchange` (the re-check after each background sync is called by sw/sync.ts,
 * once its run has ended).
 */
export function handlePushSubscriptionEvents(): void {
  // https://w3c.github.io/push-api/#the-pushsubscriptionchange-event — Firefox fires it; either
  // subscription may be null.
  self.addEventListener('pushsubscriptionchange', (event) => {
    event.waitUntil(renewSubscription(event));
  });
}

async function renewSubscription(event: PushSubscriptionChangeEvent): Promise<void> {
  const oldKey = event.oldSubscription?.options.applicationServerKey;
  if (!event.newSubscription && oldKey) {
    // The browser made no replacement: subscribe again with the same key, as the spec suggests.
    // If that fails, the re-check below subscribes with the server's current key instead.
    await subscribeBrowser({ pushManager: self.registration.pushManager }, new Uint8Array(oldKey)).catch((error: unknown) => {
      console.warn('pushsubscriptionchange: subscribing again with the same key failed', error);
    });
  }
  // The browser now holds the new subscription (or none): the re-check PUTs it, or subscribes
  // with the server's key when it differs or nothing is there.
  await keepPushSubscription('pushsubscriptionchange');
}

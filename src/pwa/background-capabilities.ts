/** Which of the web's background APIs this browser has; Steady's fallback for each is in the card. */
export interface BackgroundCapabilities {
  periodicSync: boolean;
  backgroundSync: boolean;
  backgroundFetch: boolean;
  push: boolean;
  notifications: boolean;
}

/** The globals detection reads, so it can be tested with a browser's shape. */
export interface CapabilityScope {
  ServiceWorkerRegistration?: { prototype: object };
  PushManager?: unknown;
  Notification?: unknown;
}

/**
 * Feature detection on the prototype, not on a registration: it answers before the worker is
 * installed, and a page without a worker still says what the browser could do.
 */
export function detectBackgroundCapabilities(scope: CapabilityScope = globalThis as CapabilityScope): BackgroundCapabilities {
  const registration = scope.ServiceWorkerRegistration?.prototype ?? {};
  return {
    periodicSync: 'periodicSync' in registration,
    backgroundSync: 'sync' in registration,
    backgroundFetch: 'backgroundFetch' in registration,
    push: typeof scope.PushManager === 'function' && 'pushManager' in registration,
    notifications: typeof scope.Notification === 'function',
  };
}

import { backoffDelay, sleep } from '../shared/backoff';
import { messageOf } from './gatt-errors';

/** Backoff between connection attempts: ~1 s at first, doubling, at most ~30 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** What `keepConnected` reports to its owner, and the session it asks the owner to open. */
export interface ConnectionHooks<S> {
  /** Subscribes to a new connection; throwing means "try again later". */
  open(server: BluetoothRemoteGATTServer, signal: AbortSignal): Promise<S>;
  connecting(attempt: number): void;
  streaming(session: S): void;
  /** The link dropped after streaming: the owner records a gap. */
  lost(cause: string): void;
  waiting(attempt: number, retryAt: number, cause: string): void;
}

/**
 * Keeps one armband connected until `signal` aborts: connect, subscribe, wait for
 * `gattserverdisconnected`, then retry with exponential backoff and jitter. Where
 * `watchAdvertisements()` exists, an advertisement from the armband cuts the wait short.
 * Attempts never overlap, so this loop can hold at most one connection.
 */
export async function keepConnected<S>(device: BluetoothDevice, hooks: ConnectionHooks<S>, signal: AbortSignal): Promise<void> {
  const gatt = device.gatt;
  if (!gatt) throw new Error(`${device.name ?? device.id} has no GATT server`);
  let attempt = 0;
  while (!signal.aborted) {
    hooks.connecting(attempt);
    const attemptScope = new AbortController();
    const lost = disconnection(device, attemptScope.signal);
    let cause = 'disconnected';
    let streamed = false;
    try {
      const server = await untilAborted(gatt.connect(), signal);
      const session = await untilAborted(hooks.open(server, attemptScope.signal), signal);
      streamed = true;
      attempt = 0;
      hooks.streaming(session);
      cause = await untilAborted(lost, signal);
    } catch (error) {
      cause = messageOf(error);
    } finally {
      attemptScope.abort();
    }
    // Also cancels a connect still pending, and drops a link whose setup failed half way.
    if (gatt.connected || signal.aborted) gatt.disconnect();
    if (signal.aborted) return;
    if (streamed) hooks.lost(cause);
    const delay = backoffDelay(attempt, RETRY_BASE_MS, RETRY_MAX_MS);
    attempt++;
    hooks.waiting(attempt, Date.now() + delay, cause);
    await retryWait(device, delay, signal);
  }
}

/** Resolves with a cause when the device disconnects; listens until `scope` aborts. */
function disconnection(device: BluetoothDevice, scope: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    device.addEventListener('gattserverdisconnected', () => resolve('the armband disconnected'), { once: true, signal: scope });
  });
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `delayMs`, or less when the armband advertises (it is back in range); never rejects. */
async function retryWait(device: BluetoothDevice, delayMs: number, signal: AbortSignal): Promise<void> {
  const wake = new AbortController();
  const stop = () => wake.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (device.watchAdvertisements) {
      device.addEventListener('advertisementreceived', stop, { once: true, signal: wake.signal });
      device.watchAdvertisements({ signal: wake.signal }).catch(() => {
        // Scanning may be unavailable (adapter off, no permission) or aborted: the timer still retries.
      });
    }
    await sleep(delayMs, wake.signal).catch(() => {
      // Woken early by an advertisement or stopped by the owner: either way, stop waiting.
    });
  } finally {
    wake.abort();
    signal.removeEventListener('abort', stop);
  }
}

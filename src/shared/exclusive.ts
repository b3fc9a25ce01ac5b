/**
 * Named exclusive locks: the Web Locks API where the runtime has it (every context of the origin
 * queues on the same name), else a mutex inside this JavaScript context only. The fallback keeps
 * one tab, worker or service worker from racing itself; across contexts the server's idempotent
 * batch ids and record keys already prevent doubles (https://w3c.github.io/web-locks/).
 */

/** The slice of `LockManager` used here; typed locally because shared code sees no DOM lib. */
export interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal; ifAvailable?: boolean }, work: (lock: unknown) => Promise<T>): Promise<T>;
}

/** `navigator.locks` when this runtime has it; null in Safari before 15.4 and older WebViews. */
export function webLocks(
  scope: { navigator?: { locks?: unknown } } = globalThis as { navigator?: { locks?: unknown } },
): LockManagerLike | null {
  const locks = scope.navigator?.locks as LockManagerLike | undefined;
  return typeof locks?.request === 'function' ? locks : null;
}

const tails = new Map<string, Promise<unknown>>();

/** Runs `work` once no other holder of `name` in this context runs; rejects with the signal's reason if aborted while waiting. */
export function inContextLock<T>(name: string, options: { signal?: AbortSignal }, work: () => Promise<T>): Promise<T> {
  const before = tails.get(name) ?? Promise.resolve();
  const waited = new Promise<void>((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    void settled(before).then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
  const run = waited.then(work);
  // The next holder waits for this one to finish; when this one gave up waiting, for the one before.
  const tail = settled(before).then(() => settled(run));
  tails.set(name, tail);
  void tail.then(() => {
    if (tails.get(name) === tail) tails.delete(name);
  });
  return run;
}

/** Runs `work` holding the lock `name`: the Web Lock where there is one, else `inContextLock`. */
export function exclusive<T>(name: string, options: { signal?: AbortSignal }, work: () => Promise<T>, locks = webLocks()): Promise<T> {
  return locks ? locks.request(name, options, work) : inContextLock(name, options, work);
}

function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => undefined,
    () => undefined,
  );
}

/** Promises that settle when a condition over a test double's state holds, re-checked on each `changed()`. */
export class ConditionWaiters {
  readonly #listeners = new Set<() => void>();

  /** Re-checks every waiting condition; call after each change of state. */
  changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs` with `failure()`'s message. */
  waitFor(predicate: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      this.#listeners.add(check);
    });
  }
}

/**
 * The handlers running in one process, each with an AbortSignal that fires when its time is up
 * (just before the queue would take the job for lost and run it elsewhere, so two runs do not
 * overlap) or when the queue closes and its wait for them is over.
 */
export class RunningJobs {
  readonly #controllers = new Set<AbortController>();
  readonly #limitMs: number;

  constructor(expireSeconds: number) {
    const expireMs = expireSeconds * 1000;
    this.#limitMs = Math.max(500, expireMs - Math.min(2000, expireMs / 4));
  }

  get size(): number {
    return this.#controllers.size;
  }

  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`the job ran past its ${this.#limitMs} ms`, 'TimeoutError')),
      this.#limitMs,
    );
    this.#controllers.add(controller);
    try {
      return await work(controller.signal);
    } finally {
      clearTimeout(timer);
      this.#controllers.delete(controller);
    }
  }

  /** Aborts every handler still running. */
  abortAll(): void {
    for (const controller of this.#controllers) controller.abort(new DOMException('the job queue closed', 'AbortError'));
  }
}

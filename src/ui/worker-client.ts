/** What the client needs of a Worker: the page's `Worker`, or a stand-in in unit tests. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
}

/** A Web Worker that failed to load, threw outside a job, or sent a message that could not be read. */
export class WorkerFailedError extends Error {
  constructor(
    readonly worker: string,
    message: string,
  ) {
    super(`the ${worker} worker failed: ${message}`);
    this.name = 'WorkerFailedError';
  }
}

/** Settles one call: the reply handler calls one of these when the reply it waits for arrives. */
export interface Settle<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface PendingCall<Response> {
  onMessage(message: Response): void;
  fail(error: Error): void;
}

export interface CallOptions<Request> {
  signal?: AbortSignal;
  /** What to tell the worker when the caller aborts (e.g. a CANCEL for this request). */
  cancel?: Request;
}

/**
 * The page's owner of one Web Worker: starts it on first use, routes every reply to the calls
 * waiting for it, and rejects them all when the worker fails (a script that cannot load, an
 * uncaught error, an unreadable message), so no caller waits forever. A failed worker is
 * dropped, and the next call starts a fresh one: the screen that asked can simply try again.
 */
export class WorkerClient<Request, Response> {
  private worker: WorkerLike | null = null;
  private readonly calls = new Set<PendingCall<Response>>();
  private readonly listeners = new Set<(message: Response) => void>();

  constructor(
    private readonly name: string,
    private readonly start: () => WorkerLike,
  ) {}

  /**
   * Posts `request` and waits: `onReply` sees every message from the worker until it settles
   * the call. An abort tells the worker `options.cancel` and rejects with the signal's reason.
   */
  call<T>(request: Request, onReply: (message: Response, settle: Settle<T>) => void, options: CallOptions<Request> = {}): Promise<T> {
    const { signal, cancel } = options;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const finish = () => {
        this.calls.delete(pending);
        signal?.removeEventListener('abort', abort);
      };
      const settle: Settle<T> = {
        resolve: (value) => {
          finish();
          resolve(value);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      const pending: PendingCall<Response> = { onMessage: (message) => onReply(message, settle), fail: settle.reject };
      const abort = () => {
        if (cancel !== undefined) this.worker?.postMessage(cancel);
        settle.reject(signal?.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.calls.add(pending);
      try {
        this.started().postMessage(request);
      } catch (error) {
        settle.reject(error);
      }
    });
  }

  /** Posts a message that expects no reply (a cancellation). Nothing is started for it. */
  post(message: Request): void {
    this.worker?.postMessage(message);
  }

  /** Every message from the worker, calls' replies included (progress for a screen). */
  subscribe(listener: (message: Response) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the worker; calls still waiting are rejected. */
  terminate(): void {
    this.fail(new DOMException('the worker was ended', 'AbortError'));
  }

  private started(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.addEventListener('message', (event) => {
      const message = (event as MessageEvent<Response>).data;
      for (const listener of this.listeners) listener(message);
      for (const call of [...this.calls]) call.onMessage(message);
    });
    worker.addEventListener('messageerror', () => this.fail(new WorkerFailedError(this.name, 'a message from it could not be read')));
    worker.addEventListener('error', (event) => {
      // A load failure has no message; an uncaught error inside the worker has one.
      const message = (event as ErrorEvent).message || 'it could not start';
      this.fail(new WorkerFailedError(this.name, message));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const call of [...this.calls]) call.fail(error);
  }
}

/**
 * The jobs a worker runs, by id, each with its own AbortController, so a CANCEL message aborts
 * exactly the job it names. A job is forgotten when it settles, whichever way.
 */
export class CancellableJobs {
  private readonly running = new Map<string, AbortController>();

  /** Runs `work` with a fresh signal kept under `id`; a throw goes to `onError`, saying whether it was a cancel. */
  async run(id: string, work: (signal: AbortSignal) => Promise<void>, onError: (error: unknown, aborted: boolean) => void): Promise<void> {
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      await work(controller.signal);
    } catch (error) {
      onError(error, controller.signal.aborted);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }

  /** Aborts the job `id`, if it is still running. */
  cancel(id: string): void {
    this.running.get(id)?.abort(new DOMException('cancelled by the user', 'AbortError'));
  }
}

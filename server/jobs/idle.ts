import type { JobQueue } from './queue';

/**
 * Resolves once no job is waiting, scheduled or running on the queue's storage (every instance
 * sharing it), checked every `pollMs`; rejects after `timeoutMs`. For tests and benchmarks that
 * count what the jobs did; production never needs to wait for an empty queue.
 */
export async function waitUntilIdle(queue: Pick<JobQueue, 'pending'>, { timeoutMs = 10_000, pollMs = 50 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await queue.pending();
    if (pending === 0) return;
    if (Date.now() >= deadline) throw new Error(`job queue: ${pending} jobs still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

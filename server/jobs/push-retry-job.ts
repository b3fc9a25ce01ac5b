import type { PushService } from '../push/service';
import type { JobQueue, PushRetryJob } from './queue';

/** Where PushService puts a push to try again: a `push-retry` job that starts after `delayMs`. */
export function queuedRetries(queue: Pick<JobQueue, 'send'>) {
  return {
    async schedule(job: PushRetryJob, delayMs: number): Promise<void> {
      await queue.send('push-retry', job, { delayMs });
    },
  };
}

/** The `push-retry` job: the next attempt, recorded on the push's `push_sends` row (PushService.retry). */
export function runPushRetry(push: Pick<PushService, 'retry'>, job: PushRetryJob, signal?: AbortSignal): Promise<void> {
  return push.retry(job, signal);
}

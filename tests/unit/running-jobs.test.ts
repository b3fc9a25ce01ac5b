import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunningJobs } from '../../server/jobs/running-jobs';

afterEach(() => {
  vi.useRealTimers();
});

/** A handler that waits until its signal aborts, then rejects with the reason. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('RunningJobs', () => {
  it('aborts a handler before the queue would take its job for lost: expire minus a quarter, at most 2 s early', async () => {
    vi.useFakeTimers();
    const jobs = new RunningJobs(40);
    let aborted = false;
    const run = jobs
      .run((signal) => untilAborted(signal))
      .catch((error: DOMException) => {
        aborted = true;
        return error.name;
      });
    await vi.advanceTimersByTimeAsync(37_999);
    expect(aborted).toBe(false);
    expect(jobs.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await run).toBe('TimeoutError');
    expect(jobs.size).toBe(0);
  });

  it('gives a 2 s expiry 1.5 s', async () => {
    vi.useFakeTimers();
    const run = new RunningJobs(2).run((signal) => untilAborted(signal)).catch(() => Date.now());
    const started = Date.now();
    await vi.advanceTimersByTimeAsync(1500);
    expect((await run) - started).toBe(1500);
  });

  it('aborts everything still running when the queue closes, and passes results through', async () => {
    const jobs = new RunningJobs(40);
    expect(await jobs.run(async () => 7)).toBe(7);
    const runs = [jobs.run(untilAborted), jobs.run(untilAborted)].map((p) => p.catch((error: DOMException) => error.name));
    jobs.abortAll();
    expect(await Promise.all(runs)).toEqual(['AbortError', 'AbortError']);
  });
});

import { describe, expect, it } from 'vitest';
import { exclusive, inContextLock, type LockManagerLike, webLocks } from '../../src/shared/exclusive';

/** A job that records when it starts and ends, and ends only when told. */
function job(name: string, events: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    finish: () => finish(),
    work: async () => {
      events.push(`${name} start`);
      await done;
      events.push(`${name} end`);
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('inContextLock, the fallback without Web Locks', () => {
  it('runs holders of one name one after another, in order', async () => {
    const events: string[] = [];
    const a = job('a', events);
    const b = job('b', events);
    const first = inContextLock('sync', {}, a.work);
    const second = inContextLock('sync', {}, b.work);
    await tick();
    expect(events).toEqual(['a start']);
    a.finish();
    expect(await first).toBe('a');
    await tick();
    expect(events).toEqual(['a start', 'a end', 'b start']);
    b.finish();
    expect(await second).toBe('b');
  });

  it('lets other names run at the same time', async () => {
    const events: string[] = [];
    const a = job('a', events);
    const b = job('b', events);
    const both = Promise.all([inContextLock('one', {}, a.work), inContextLock('two', {}, b.work)]);
    await tick();
    expect(events).toEqual(['a start', 'b start']);
    a.finish();
    b.finish();
    await both;
  });

  it('goes on after a holder fails', async () => {
    const failed = inContextLock('sync', {}, async () => {
      throw new Error('disk full');
    });
    await expect(failed).rejects.toThrow('disk full');
    expect(await inContextLock('sync', {}, async () => 'next')).toBe('next');
  });

  it('gives up waiting when aborted, and the next holder still waits for the running one', async () => {
    const events: string[] = [];
    const a = job('a', events);
    const c = job('c', events);
    const running = inContextLock('sync', {}, a.work);
    const abort = new AbortController();
    const gaveUp = inContextLock('sync', { signal: abort.signal }, async () => 'never');
    const after = inContextLock('sync', {}, c.work);
    abort.abort(new DOMException('page closed', 'AbortError'));
    await expect(gaveUp).rejects.toThrow('page closed');
    await tick();
    expect(events).toEqual(['a start']);
    a.finish();
    await running;
    await tick();
    expect(events).toEqual(['a start', 'a end', 'c start']);
    c.finish();
    await after;
  });
});

describe('exclusive', () => {
  it('uses the Web Lock when the runtime has one', async () => {
    const asked: string[] = [];
    const locks: LockManagerLike = {
      request: (name, _options, work) => {
        asked.push(name);
        return work(null);
      },
    };
    expect(await exclusive('a-lock', {}, async () => 'ran', locks)).toBe('ran');
    expect(asked).toEqual(['a-lock']);
  });

  it('finds navigator.locks only when it can request', () => {
    expect(webLocks({})).toBeNull();
    expect(webLocks({ navigator: {} })).toBeNull();
    expect(webLocks({ navigator: { locks: { request: () => undefined } } })).not.toBeNull();
  });
});

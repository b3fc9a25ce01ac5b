import { describe, expect, it } from 'vitest';
import { WorkerClient, WorkerFailedError } from '../../src/ui/worker-client';

type Request = { type: 'ASK'; id: number } | { type: 'CANCEL'; id: number };
type Reply = { type: 'ANSWER'; id: number; value: string } | { type: 'PROGRESS'; id: number };

/** A stand-in Worker: records what it is sent, and replies, fails or crashes on demand. */
class FakeWorker extends EventTarget {
  readonly sent: Request[] = [];
  terminated = false;
  postMessage(message: unknown) {
    this.sent.push(message as Request);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: Reply) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
  crash(message = '') {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

function client() {
  const started: FakeWorker[] = [];
  const worker = new WorkerClient<Request, Reply>('test', () => {
    const fake = new FakeWorker();
    started.push(fake);
    return fake;
  });
  const ask = (id: number, signal?: AbortSignal) =>
    worker.call<string>(
      { type: 'ASK', id },
      (reply, settle) => {
        if (reply.id === id && reply.type === 'ANSWER') settle.resolve(reply.value);
      },
      { signal, cancel: { type: 'CANCEL', id } },
    );
  return { worker, started, ask };
}

describe('WorkerClient', () => {
  it('starts its worker on first use, and only once', async () => {
    const { worker, started, ask } = client();
    worker.post({ type: 'CANCEL', id: 0 });
    expect(started).toHaveLength(0);
    const answers = [ask(1), ask(2)];
    expect(started).toHaveLength(1);
    started[0]?.reply({ type: 'ANSWER', id: 1, value: 'one' });
    started[0]?.reply({ type: 'ANSWER', id: 2, value: 'two' });
    expect(await Promise.all(answers)).toEqual(['one', 'two']);
  });

  it('gives each call its own reply, whatever order they come in', async () => {
    const { started, ask } = client();
    const first = ask(1);
    const second = ask(2);
    started[0]?.reply({ type: 'PROGRESS', id: 1 });
    started[0]?.reply({ type: 'ANSWER', id: 2, value: 'second' });
    started[0]?.reply({ type: 'ANSWER', id: 1, value: 'first' });
    expect(await first).toBe('first');
    expect(await second).toBe('second');
  });

  it('rejects every waiting call when the worker cannot load, and starts afresh on the next call', async () => {
    const { started, ask } = client();
    const waiting = [ask(1), ask(2)];
    started[0]?.crash();
    for (const call of waiting) await expect(call).rejects.toThrow(new WorkerFailedError('test', 'it could not start'));
    expect(started[0]?.terminated).toBe(true);
    const retry = ask(3);
    expect(started).toHaveLength(2);
    started[1]?.reply({ type: 'ANSWER', id: 3, value: 'recovered' });
    expect(await retry).toBe('recovered');
  });

  it('rejects on an uncaught error in the worker and on a message it cannot read', async () => {
    const { started, ask } = client();
    const crashed = ask(1);
    started[0]?.crash('boom');
    await expect(crashed).rejects.toThrow('the test worker failed: boom');
    const unreadable = ask(2);
    started[1]?.dispatchEvent(new MessageEvent('messageerror'));
    await expect(unreadable).rejects.toBeInstanceOf(WorkerFailedError);
  });

  it('tells the worker to cancel when the caller aborts, and rejects with the reason', async () => {
    const { started, ask } = client();
    const controller = new AbortController();
    const call = ask(7, controller.signal);
    controller.abort(new DOMException('left the screen', 'AbortError'));
    await expect(call).rejects.toThrow('left the screen');
    expect(started[0]?.sent).toEqual([
      { type: 'ASK', id: 7 },
      { type: 'CANCEL', id: 7 },
    ]);
    // A reply that arrives after the abort settles nothing and throws nothing.
    started[0]?.reply({ type: 'ANSWER', id: 7, value: 'late' });
  });

  it('does not start a worker for a call already aborted', async () => {
    const { started, ask } = client();
    await expect(ask(1, AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
    expect(started).toHaveLength(0);
  });

  it('hands every message to subscribers, and rejects waiting calls when ended', async () => {
    const { worker, started, ask } = client();
    const seen: Reply[] = [];
    const unsubscribe = worker.subscribe((message) => seen.push(message));
    const call = ask(1);
    started[0]?.reply({ type: 'PROGRESS', id: 1 });
    unsubscribe();
    started[0]?.reply({ type: 'PROGRESS', id: 1 });
    expect(seen).toEqual([{ type: 'PROGRESS', id: 1 }]);
    worker.terminate();
    await expect(call).rejects.toThrow('the worker was ended');
    expect(started[0]?.terminated).toBe(true);
  });
});

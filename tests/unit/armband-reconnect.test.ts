/// <reference path="../../src/armband/web-bluetooth.d.ts" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionHooks, keepConnected } from '../../src/armband/keep-connected';

/** A BluetoothDevice double: connect() answers as the test scripts it, and it counts overlapping attempts. */
class FakeDevice extends EventTarget {
  readonly id = 'strap-1';
  readonly name = 'Strap';
  connected = false;
  inFlight = 0;
  maxInFlight = 0;
  connects = 0;
  disconnects = 0;
  outcomes: ('ok' | 'fail')[] = [];
  watchAdvertisements?: (options?: { signal?: AbortSignal }) => Promise<void>;
  readonly gatt = {
    connected: false,
    connect: async () => {
      this.connects++;
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      await Promise.resolve();
      this.inFlight--;
      if ((this.outcomes.shift() ?? 'ok') === 'fail')
        throw Object.assign(new Error('Connection attempt failed.'), { name: 'NetworkError' });
      this.connected = true;
      return this.gatt as unknown as BluetoothRemoteGATTServer;
    },
    disconnect: () => {
      this.disconnects++;
      this.connected = false;
    },
    getPrimaryService: () => Promise.reject(new Error('not used')),
  };
  constructor() {
    super();
    // A getter, as on the real BluetoothRemoteGATTServer.
    Object.defineProperty(this.gatt, 'connected', { get: () => this.connected });
  }
  drop(): void {
    this.connected = false;
    this.dispatchEvent(new Event('gattserverdisconnected'));
  }
}

let device: FakeDevice;
let log: string[];
let controller: AbortController;

function hooks(): ConnectionHooks<string> {
  return {
    open: async () => 'session',
    connecting: (attempt) => log.push(`connecting ${attempt}`),
    streaming: () => log.push('streaming'),
    lost: () => log.push('lost'),
    waiting: (attempt, retryAt) => log.push(`waiting ${attempt} ${retryAt - Date.now()}`),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  device = new FakeDevice();
  log = [];
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const run = () => keepConnected(device as unknown as BluetoothDevice, hooks(), controller.signal);

describe('keeping the armband connected', () => {
  it('streams, notices the drop, waits with backoff and reconnects by itself', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const done = run();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['connecting 0', 'streaming']);
    device.drop();
    await vi.advanceTimersByTimeAsync(0);
    // Equal jitter: half of 1 s fixed, plus half of 1 s × 0.5.
    expect(log.slice(2)).toEqual(['lost', 'waiting 1 750']);
    await vi.advanceTimersByTimeAsync(749);
    expect(device.connects).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.slice(4)).toEqual(['connecting 1', 'streaming']);
    controller.abort();
    await done;
    expect(device.connected).toBe(false);
  });

  it('backs off exponentially while connecting fails, and resets after success', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    device.outcomes = ['fail', 'fail', 'fail', 'ok'];
    void run();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(log.filter((line) => line.startsWith('waiting'))).toEqual(['waiting 1 1000', 'waiting 2 2000', 'waiting 3 4000']);
    expect(log.at(-1)).toBe('streaming');
    expect(log).not.toContain('lost'); // failed attempts never streamed: no gap
    device.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('waiting 1 1000');
  });

  it('never has two connection attempts at once', async () => {
    device.outcomes = ['fail', 'fail', 'ok'];
    void run();
    await vi.advanceTimersByTimeAsync(40_000);
    device.drop();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(device.connects).toBe(4);
    expect(device.maxInFlight).toBe(1);
  });

  it('drops a link whose setup failed before trying again, so retries never stack connections', async () => {
    let opens = 0;
    const failingOnce: ConnectionHooks<string> = {
      ...hooks(),
      open: async () => {
        if (opens++ === 0) throw Object.assign(new Error('no heart rate service'), { name: 'NotFoundError' });
        return 'session';
      },
    };
    void keepConnected(device as unknown as BluetoothDevice, failingOnce, controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(device.disconnects).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log.at(-1)).toBe('streaming');
  });

  it('cuts the wait short when the armband advertises', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    let watching: AbortSignal | undefined;
    device.watchAdvertisements = async (options) => {
      watching = options?.signal;
    };
    device.outcomes = ['fail', 'ok'];
    void run();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('waiting 1 1000');
    expect(watching?.aborted).toBe(false);
    device.dispatchEvent(new Event('advertisementreceived'));
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('streaming');
    // Scanning costs battery: it stops once the wait is over.
    expect(watching?.aborted).toBe(true);
  });

  it('stops for good when its signal aborts, and disconnects', async () => {
    void run();
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(device.connects).toBe(1);
    expect(device.connected).toBe(false);
  });
});

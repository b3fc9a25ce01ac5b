import net from 'node:net';

/**
 * A TCP proxy in front of the test server, on the browser's fixed origin port. It counts every
 * byte each way (what left the browser is what a resumed upload must keep small), can slow the
 * browser's uploads or downloads so a test catches a transfer in the middle, and can cut every
 * connection at once, as a dropped network or a killed server does.
 */
export interface TransferProxy {
  /** http://127.0.0.1:<port>: the app's origin. */
  url: string;
  /** Bytes from the browser to the server (requests: headers and bodies). */
  readonly bytesUp: number;
  /** Bytes from the server to the browser. */
  readonly bytesDown: number;
  resetCounters(): void;
  /** Caps each direction in bytes per second; null lifts the cap. */
  throttle(limits: { up?: number | null; down?: number | null }): void;
  /** Destroys every open connection, both sides. */
  cutAll(): void;
  /** While down, every new connection is closed at once, as if nothing listened. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startTransferProxy(port: number, upstreamPort: () => number): Promise<TransferProxy> {
  let bytesUp = 0;
  let bytesDown = 0;
  let upLimit: number | null = null;
  let downLimit: number | null = null;
  const sockets = new Set<net.Socket>();

  // One shared budget per direction, so the cap holds across parallel connections.
  const pace = (direction: 'up' | 'down', bytes: number, source: net.Socket) => {
    const limit = direction === 'up' ? upLimit : downLimit;
    if (!limit) return;
    source.pause();
    setTimeout(() => source.resume(), Math.ceil((bytes / limit) * 1000));
  };

  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.resetAndDestroy();
    const upstream = net.connect(upstreamPort(), '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (data) => {
      bytesUp += data.length;
      if (!upstream.write(data)) client.pause();
      pace('up', data.length, client);
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (data) => {
      bytesDown += data.length;
      if (!client.write(data)) upstream.pause();
      pace('down', data.length, upstream);
    });
    client.on('drain', () => upstream.resume());
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    get bytesUp() {
      return bytesUp;
    },
    get bytesDown() {
      return bytesDown;
    },
    resetCounters() {
      bytesUp = 0;
      bytesDown = 0;
    },
    throttle(limits) {
      if (limits.up !== undefined) upLimit = limits.up;
      if (limits.down !== undefined) downLimit = limits.down;
    },
    setDown(value) {
      down = value;
    },
    cutAll() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

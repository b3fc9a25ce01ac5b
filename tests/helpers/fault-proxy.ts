import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which requests a fault applies to. */
export interface RequestMatcher {
  method?: string;
  /** Tested against the path and query, e.g. /^\/api\/sync\/batches\//. */
  path?: RegExp;
}

/** One request as the proxy saw it, in arrival order. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** For `PUT /api/sync/batches/:id`. */
  batchId?: string;
  startedAt: number;
  endedAt?: number;
  /**
   * The status the client received; `dropped` when the client's socket was destroyed
   * (`serverStatus` then says whether the server had answered); `unreachable` when the server was down.
   */
  status?: number | 'dropped' | 'unreachable';
  /** What the server answered, when the request reached it and it answered. */
  serverStatus?: number;
  /** The server's JSON answer to a PUT, when it gave one. */
  answer?: Record<string, unknown>;
  /** What the proxy did: `forward`, `status`, `drop-after-answer`, `held`, `killed`, `route`. */
  fault?: string;
  /** Bytes the client sent: request line, headers and body. */
  bytesIn: number;
  /** Bytes the client received: status line, headers and body. */
  bytesOut: number;
}

/** A request answered by the proxy itself (a test-only endpoint), with its body read. */
export interface RoutedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
export type RouteHandler = (request: RoutedRequest) => Promise<{ status: number; headers?: Record<string, string>; body: Buffer | string }>;

/** A request held by the proxy: its body is read, nothing has reached the server yet. */
export interface HeldRequest {
  entry: ProxiedRequest;
  /** Sends it on as if nothing happened. */
  forward(): Promise<void>;
  /**
   * The server dies while the request is on its way: the headers and half the body reach it,
   * then `kill` runs (e.g. TestServer.restart) and both sockets are cut while it does.
   */
  killMidUpload(kill: () => Promise<unknown>): Promise<void>;
  /** Destroys the client's socket without an answer. */
  drop(): void;
}

/**
 * Where the answer is lost after the server committed: `before-answer` sends the client nothing
 * (Chromium may then resend the request by itself, as it does for a socket that closes without
 * an answer); `mid-answer` sends the status, headers and half the body first.
 */
export type DropPoint = 'before-answer' | 'mid-answer';

type Fault =
  | { kind: 'status'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'drop-after-answer'; how: DropPoint }
  | { kind: 'hold'; onHeld: (held: HeldRequest) => void }
  | { kind: 'latency'; ms: number }
  | { kind: 'route'; handler: RouteHandler };

interface Rule {
  matcher: RequestMatcher;
  fault: Fault;
  /** How many more requests it applies to; Infinity for until cleared. */
  remaining: number;
  /** Matching requests to let through untouched before it applies. */
  skip: number;
}

export interface FaultProxyOptions {
  /** Where the real server is, read on every request (a restarted server keeps its port). */
  target: () => string;
  /** Ports to try, in order: the first free one is kept for the proxy's life, so the origin is stable. */
  ports?: number[];
}

const matches = (m: RequestMatcher, method: string, path: string) => (!m.method || m.method === method) && (!m.path || m.path.test(path));

/**
 * A fault-injecting HTTP proxy for browser tests: the browser talks only to its origin; it
 * forwards everything to the real server unless a scripted fault matches. Every answer carries
 * `Connection: close`, so a cut socket is never one the browser reuses (Chromium silently
 * resends a request that failed on a reused keep-alive socket, which would hide the fault).
 */
export class FaultProxy {
  readonly log: ProxiedRequest[] = [];
  private rules: Rule[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FaultProxyOptions,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const ports = options.ports ?? Array.from({ length: 100 }, (_, i) => 18300 + i);
    for (const port of ports) {
      const server = http.createServer();
      const proxy = new FaultProxy(server, options);
      server.on('request', (req, res) => void proxy.handle(req, res));
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) return proxy;
    }
    throw new Error(`no free port for the fault proxy among ${ports[0]}–${ports[ports.length - 1]}`);
  }

  /** e.g. `http://127.0.0.1:18300`: the app's origin in the browser. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` matching requests get this status (and a JSON error body) without reaching the server. */
  failWith(matcher: RequestMatcher, status: number, times = 1, headers: Record<string, string> = {}, message = 'injected fault'): void {
    const body = { statusCode: status, code: `HTTP_${status}`, error: 'Injected', message };
    this.rules.push({ matcher, remaining: times, skip: 0, fault: { kind: 'status', status, body, headers } });
  }

  /** The next `times` matching requests reach the server, which answers; then the client's socket is destroyed. */
  dropAfterAnswer(matcher: RequestMatcher, times = 1, how: DropPoint = 'before-answer'): void {
    this.rules.push({ matcher, remaining: times, skip: 0, fault: { kind: 'drop-after-answer', how } });
  }

  /** Resolves with a matching request (the first after `skip` of them), held until the test decides what happens to it. */
  hold(matcher: RequestMatcher, skip = 0): Promise<HeldRequest> {
    return new Promise((resolve) => this.rules.push({ matcher, remaining: 1, skip, fault: { kind: 'hold', onHeld: resolve } }));
  }

  /** Matching requests wait `ms` before going on (until `clear`): widens race windows. */
  addLatency(matcher: RequestMatcher, ms: number): void {
    this.rules.push({ matcher, remaining: Number.POSITIVE_INFINITY, skip: 0, fault: { kind: 'latency', ms } });
  }

  /** Matching requests are answered by `handler` instead of the server (until `clear`). */
  route(matcher: RequestMatcher, handler: RouteHandler): void {
    this.rules.push({ matcher, remaining: Number.POSITIVE_INFINITY, skip: 0, fault: { kind: 'route', handler } });
  }

  /** Forgets every scripted fault (the log stays). */
  clear(): void {
    this.rules = [];
  }

  /** PUTs of sync batches, as the proxy saw them. */
  batchUploads(): ProxiedRequest[] {
    return this.log.filter((r) => r.batchId !== undefined);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeRule(method: string, path: string, kinds: Fault['kind'][]): Fault | null {
    const rule = this.rules.find((r) => r.remaining > 0 && kinds.includes(r.fault.kind) && matches(r.matcher, method, path));
    if (!rule) return null;
    if (rule.skip > 0) {
      rule.skip--;
      return null;
    }
    rule.remaining--;
    return rule.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const batch = method === 'PUT' ? /^\/api\/sync\/batches\/([^/?]+)/.exec(path) : null;
    const entry: ProxiedRequest = {
      method,
      path,
      startedAt: Date.now(),
      ...(batch?.[1] ? { batchId: batch[1] } : {}),
      bytesIn: 0,
      bytesOut: 0,
    };
    this.log.push(entry);
    const body = await readBody(req);
    entry.bytesIn = `${method} ${path} HTTP/1.1\r\n`.length + headerBytes(req.rawHeaders) + body.length;
    countBytesOut(res, entry);
    const finish = (status: ProxiedRequest['status']) => {
      entry.status = status;
      entry.endedAt = Date.now();
    };
    const latency = this.takeRule(method, path, ['latency']);
    if (latency?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, latency.ms));

    const fault = this.takeRule(method, path, ['status', 'drop-after-answer', 'hold', 'route']);
    entry.fault = fault?.kind ?? 'forward';
    if (fault?.kind === 'route') {
      const answer = await fault.handler({ method, path, headers: req.headers, body });
      res.writeHead(answer.status, { connection: 'close', ...answer.headers });
      res.end(answer.body);
      finish(answer.status);
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', connection: 'close', ...fault.headers });
      res.end(JSON.stringify(fault.body));
      finish(fault.status);
      return;
    }
    if (fault?.kind === 'hold') {
      fault.onHeld({
        entry,
        forward: () => this.forward(req, res, body, entry, null),
        killMidUpload: async (kill) => {
          entry.fault = 'killed';
          const upstream = this.openUpstream(req, body.length);
          upstream.on('error', () => undefined); // cut on purpose below
          upstream.write(body.subarray(0, body.length >> 1));
          await new Promise((resolve) => setTimeout(resolve, 100));
          const killing = kill();
          await new Promise((resolve) => setTimeout(resolve, 50));
          upstream.destroy();
          req.socket.destroy();
          finish('dropped');
          await killing;
        },
        drop: () => {
          req.socket.destroy();
          finish('dropped');
        },
      });
      return;
    }
    await this.forward(req, res, body, entry, fault?.kind === 'drop-after-answer' ? fault.how : null);
  }

  private openUpstream(req: http.IncomingMessage, length: number): http.ClientRequest {
    const target = new URL(this.options.target());
    const headers = { ...req.headers, host: target.host, 'content-length': String(length) };
    delete headers.connection;
    return http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false });
  }

  /** Sends the request to the server and its answer back (or, when `drop`, destroys the client's socket instead). */
  private forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    entry: ProxiedRequest,
    drop: DropPoint | null,
  ): Promise<void> {
    return new Promise((resolve) => {
      const upstream = this.openUpstream(req, body.length);
      upstream.on('error', () => {
        // The server is down (being restarted): the client sees what it would see without a proxy.
        req.socket.destroy();
        entry.status = 'unreachable';
        entry.endedAt = Date.now();
        resolve();
      });
      upstream.on('response', async (answer) => {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of answer) chunks.push(chunk as Buffer);
        } catch {
          // The server died while answering: treat as unreachable below.
          req.socket.destroy();
          entry.status = 'unreachable';
          entry.endedAt = Date.now();
          return resolve();
        }
        const data = Buffer.concat(chunks);
        entry.serverStatus = answer.statusCode ?? 0;
        if (entry.batchId && /json/.test(String(answer.headers['content-type']))) {
          entry.answer = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
        }
        const headers: http.OutgoingHttpHeaders = { ...answer.headers, connection: 'close', 'content-length': String(data.length) };
        delete headers['transfer-encoding'];
        delete headers['keep-alive'];
        if (drop === 'before-answer') {
          req.socket.destroy();
          entry.status = 'dropped';
        } else if (drop === 'mid-answer') {
          res.writeHead(answer.statusCode ?? 502, headers);
          res.write(data.subarray(0, data.length >> 1), () => req.socket.destroy());
          entry.status = 'dropped';
        } else {
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(data);
          entry.status = answer.statusCode ?? 502;
        }
        entry.endedAt = Date.now();
        resolve();
      });
      upstream.end(body);
    });
  }
}

/** Size of headers on the wire: `name: value\r\n` each, and the blank line. */
function headerBytes(raw: string[]): number {
  let bytes = 2;
  for (let i = 0; i < raw.length; i += 2) bytes += Buffer.byteLength(raw[i] ?? '') + Buffer.byteLength(raw[i + 1] ?? '') + 4;
  return bytes;
}

/**
 * Counts what goes to the client on `entry.bytesOut`, headers included. Every answer closes its
 * connection, so the socket's own count is this one request's.
 */
function countBytesOut(res: http.ServerResponse, entry: ProxiedRequest): void {
  const socket = res.socket;
  const count = () => {
    entry.bytesOut = socket?.bytesWritten ?? entry.bytesOut;
  };
  res.on('finish', count);
  socket?.on('close', count);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

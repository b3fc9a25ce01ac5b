import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { ConditionWaiters } from './condition-waiters';
import { selfSignedCertificate, type VapidClaims, verifyVapid } from './push-service';

/**
 * A local stand-in for Mozilla's autopush, the push service Firefox talks to. Firefox's client
 * (`dom/push/PushServiceWebSocket.sys.mjs`, read from ESR 153's omni.ja) speaks JSON over a
 * WebSocket (subprotocol `push-notification`) to `dom.push.serverURL`; application servers POST
 * RFC 8030 push messages to the endpoints it hands out. Message shapes follow autopush-rs
 * (`autoconnect-common/src/protocol.rs`, `autopush-common/src/notification.rs`,
 * `autoendpoint/src/extractors/notification_headers.rs`).
 *
 * Implemented: `hello` (keeps a known uaid, issues a new one otherwise, `use_webpush: true`),
 * `register` (with the VAPID `key`), `unregister`, `ack`, `nack`, pings (`{}`), and
 * `notification` delivery of the still-encrypted aes128gcm body (base64url `data`,
 * `headers.encoding`). The HTTP side checks VAPID (RFC 8292, `k` must be the key the channel was
 * registered with), TTL, Topic and Content-Encoding, stores unacknowledged messages per
 * channel (a Topic replaces an earlier one) and delivers them live or on the next `hello`.
 * Not implemented: broadcasts (megaphone), the legacy `aesgcm` encoding, urgency filtering,
 * endpoint token encryption (endpoints name the channel in clear), storage beyond this process.
 * It never decrypts: only Firefox holds the subscription's private key.
 */

/** What Firefox sent, as the server parsed it. */
export type ClientMessage =
  | { messageType: 'hello'; uaid?: string; broadcasts?: Record<string, string>; use_webpush?: boolean }
  | { messageType: 'register'; channelID: string; key?: string }
  | { messageType: 'unregister'; channelID: string; code?: number }
  | { messageType: 'ack'; updates: { channelID: string; version: string; code?: number }[] }
  | { messageType: 'nack'; version: string; code?: number }
  | { messageType: 'broadcast_subscribe'; broadcasts: Record<string, string> }
  | { messageType: 'ping' };

/** One push message request the HTTP side answered. */
export interface EndpointRequest {
  channelID: string | null;
  status: number;
  ttl: number | null;
  topic: string | null;
  vapid: VapidClaims | null;
  problem: string | null;
}

interface StoredMessage {
  channelID: string;
  version: string;
  topic: string | null;
  expiresAt: number;
  data: string | null;
  headers: Record<string, string> | null;
}

interface Channel {
  uaid: string;
  /** The application server key from `register`, base64url without padding; null without one. */
  key: string | null;
}

/** RFC 8030 §7.2: push services accept at least 4096 bytes of payload. */
const MAX_BODY = 4096;
/** autoendpoint caps TTL at 60 days rather than refusing it. */
const MAX_TTL = 60 * 24 * 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AutopushServer {
  /** `ws://127.0.0.1:<port>/`, for `dom.push.serverURL`. */
  readonly socketUrl: string;
  /** `https://localhost:<port>`: where endpoints live, VAPID's `aud`. */
  readonly origin: string;
  /** `localhost:<port>`, for PUSH_ALLOWED_HOSTS. */
  readonly host: string;
  /** Every message Firefox sent, in order. */
  readonly fromClient: ClientMessage[] = [];
  readonly endpointRequests: EndpointRequest[] = [];
  readonly #channels = new Map<string, Channel>();
  readonly #known = new Set<string>();
  readonly #sockets = new Map<string, WebSocket>();
  readonly #stored: StoredMessage[] = [];
  readonly #waiters = new ConditionWaiters();

  private constructor(
    private readonly sockets: WebSocketServer,
    private readonly socketServer: http.Server,
    private readonly endpoints: https.Server,
    /** PEM of the endpoint side's self-signed certificate, for PUSH_EXTRA_CA_FILE. */
    readonly caFile: string,
    private readonly dir: string,
  ) {
    this.socketUrl = `ws://127.0.0.1:${(socketServer.address() as AddressInfo).port}/`;
    this.host = `localhost:${(endpoints.address() as AddressInfo).port}`;
    this.origin = `https://${this.host}`;
  }

  static async start(): Promise<AutopushServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-autopush-'));
    const { key, cert } = selfSignedCertificate(dir);
    let service: AutopushServer | undefined;
    const endpoints = https.createServer({ key, cert }, (request, response) => service?.handleEndpoint(request, response));
    const socketServer = http.createServer((_, response) => response.writeHead(426).end());
    // Firefox asks for the `push-notification` subprotocol (PushServiceWebSocket._beginWSSetup).
    const sockets = new WebSocketServer({
      server: socketServer,
      handleProtocols: (protocols) => (protocols.has('push-notification') ? 'push-notification' : false),
    });
    await Promise.all([
      new Promise<void>((resolve) => endpoints.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => socketServer.listen(0, '127.0.0.1', resolve)),
    ]);
    service = new AutopushServer(sockets, socketServer, endpoints, path.join(dir, 'cert.pem'), dir);
    sockets.on('connection', (socket) => service?.handleSocket(socket));
    return service;
  }

  /** Prefs that point Firefox's push client here (ws:// needs `testing.allowInsecureServerURL`). */
  firefoxPrefs(): Record<string, string | boolean | number> {
    return {
      'dom.push.serverURL': this.socketUrl,
      'dom.push.testing.allowInsecureServerURL': true,
      // WebDriver BiDi's recommended prefs turn the connection off; a user value wins over them.
      'dom.push.connection.enabled': true,
      'dom.push.loglevel': 'debug',
    };
  }

  /** Channels registered and not unregistered. */
  channels(): { channelID: string; key: string | null }[] {
    return [...this.#channels].map(([channelID, channel]) => ({ channelID, key: channel.key }));
  }

  /** Acknowledgements Firefox sent (code 100 delivered, 101 decryption error, 102 not delivered). */
  acks(): { channelID: string; version: string; code?: number }[] {
    return this.fromClient.flatMap((message) => (message.messageType === 'ack' ? message.updates : []));
  }

  /** Resolves once `predicate` holds (checked on every event), or rejects after `timeoutMs`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    return this.#waiters.waitFor(
      predicate,
      timeoutMs,
      () => `autopush: ${what} did not happen within ${timeoutMs} ms; client sent ${JSON.stringify(this.fromClient)}`,
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.clients) socket.terminate();
    this.sockets.close();
    this.endpoints.closeAllConnections();
    this.socketServer.closeAllConnections();
    await Promise.all([
      new Promise<void>((resolve) => this.endpoints.close(() => resolve())),
      new Promise<void>((resolve) => this.socketServer.close(() => resolve())),
    ]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private handleSocket(socket: WebSocket): void {
    let uaid: string | null = null;
    const send = (message: object | '{}') => socket.send(message === '{}' ? '{}' : JSON.stringify(message));
    socket.on('message', (raw) => {
      const text = String(raw);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        socket.close(1002, 'not JSON');
        return;
      }
      // autopush-rs parses `{}` as a ping and answers `{}`.
      const message = (Object.keys(parsed).length === 0 ? { messageType: 'ping' } : parsed) as ClientMessage;
      this.fromClient.push(message);
      if (message.messageType !== 'hello' && uaid === null && message.messageType !== 'ping') {
        socket.close(1002, 'hello first');
        return;
      }
      switch (message.messageType) {
        case 'hello': {
          uaid = message.uaid && this.#known.has(message.uaid) ? message.uaid : randomUUID().replaceAll('-', '');
          this.#known.add(uaid);
          this.#sockets.get(uaid)?.close(4774, 'replaced');
          this.#sockets.set(uaid, socket);
          send({ messageType: 'hello', uaid, status: 200, use_webpush: true, broadcasts: {} });
          for (const stored of this.#storedFor(uaid)) send(notificationOf(stored));
          break;
        }
        case 'register': {
          const key = message.key ? Buffer.from(message.key.replace(/=+$/, ''), 'base64url') : null;
          if (!UUID.test(message.channelID) || (key && (key.length !== 65 || key[0] !== 4))) {
            send({ messageType: 'register', channelID: message.channelID, status: 400 });
            break;
          }
          this.#channels.set(message.channelID, { uaid: uaid as string, key: key ? key.toString('base64url') : null });
          // autopush's endpoints: /wpush/v1/ without a key, /wpush/v2/ with one (bound to its hash).
          const pushEndpoint = key
            ? `${this.origin}/wpush/v2/${message.channelID}.${createHash('sha256').update(key).digest('base64url')}`
            : `${this.origin}/wpush/v1/${message.channelID}`;
          send({ messageType: 'register', channelID: message.channelID, status: 200, pushEndpoint });
          break;
        }
        case 'unregister':
          this.#channels.delete(message.channelID);
          send({ messageType: 'unregister', channelID: message.channelID, status: 200 });
          break;
        case 'ack':
          for (const update of message.updates) this.#drop(update.channelID, update.version);
          break;
        case 'nack':
          // A delivery error the client reports; autopush records it and drops the message.
          for (const stored of this.#stored.filter((s) => s.version === message.version)) this.#drop(stored.channelID, stored.version);
          break;
        case 'ping':
          send('{}');
          break;
        case 'broadcast_subscribe':
          break;
      }
      this.#waiters.changed();
    });
    socket.on('close', () => {
      if (uaid && this.#sockets.get(uaid) === socket) this.#sockets.delete(uaid);
    });
  }

  #storedFor(uaid: string): StoredMessage[] {
    const now = Date.now();
    return this.#stored.filter((s) => s.expiresAt > now && this.#channels.get(s.channelID)?.uaid === uaid);
  }

  #drop(channelID: string, version: string): void {
    const index = this.#stored.findIndex((s) => s.channelID === channelID && s.version === version);
    if (index >= 0) this.#stored.splice(index, 1);
  }

  private handleEndpoint(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY + 1) chunks.push(chunk);
    });
    request.on('end', () => {
      const entry = this.receive(request, Buffer.concat(chunks), size);
      this.endpointRequests.push(entry);
      response
        .writeHead(entry.status, entry.status === 201 ? { Location: `${this.origin}/m/${randomUUID()}`, TTL: String(entry.ttl) } : {})
        .end(entry.problem ? JSON.stringify({ code: entry.status, error: entry.problem }) : '');
      this.#waiters.changed();
    });
  }

  private receive(request: IncomingMessage, body: Buffer, size: number): EndpointRequest {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    const match = /^\/wpush\/(v1|v2)\/([0-9a-f-]{36})(?:\.([A-Za-z0-9_-]+))?$/.exec(request.url ?? '');
    const channelID = match?.[2] ?? null;
    const ttlText = header('ttl');
    const entry: EndpointRequest = {
      channelID,
      status: 201,
      ttl: ttlText !== null && /^\d+$/.test(ttlText) ? Math.min(Number(ttlText), MAX_TTL) : null,
      topic: header('topic'),
      vapid: null,
      problem: null,
    };
    const refuse = (status: number, problem: string) => Object.assign(entry, { status, problem });
    if (request.method !== 'POST') return refuse(405, 'push messages are POSTed');
    const channel = channelID ? this.#channels.get(channelID) : undefined;
    // autoendpoint: an unknown or unregistered channel is gone for good.
    if (!channelID || !channel) return refuse(410, 'no such subscription');
    if (channel.key) {
      try {
        entry.vapid = verifyVapid(header('authorization') ?? undefined, this.origin);
      } catch (error) {
        return refuse(401, (error as Error).message);
      }
      if (entry.vapid.key.replace(/=+$/, '') !== channel.key) return refuse(401, 'VAPID public key mismatch');
    }
    if (entry.ttl === null) return refuse(400, 'Missing TTL header');
    if (entry.topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(entry.topic)) return refuse(400, 'Topic must be 1–32 base64url characters');
    if (size > MAX_BODY) return refuse(413, `body of ${size} bytes is over ${MAX_BODY}`);
    const encoding = header('content-encoding');
    if (size > 0 && encoding !== 'aes128gcm') return refuse(400, `Content-Encoding ${encoding} is not aes128gcm`);

    const stored: StoredMessage = {
      channelID,
      version: randomUUID(),
      topic: entry.topic,
      expiresAt: Date.now() + entry.ttl * 1000,
      data: size > 0 ? body.toString('base64url') : null,
      headers: size > 0 ? { encoding: 'aes128gcm' } : null,
    };
    const socket = this.#sockets.get(channel.uaid);
    // RFC 8030 §5.2: TTL 0 is delivered now or never. §5.4: a Topic replaces an undelivered message.
    if (entry.ttl > 0) {
      if (stored.topic !== null) {
        for (const old of this.#stored.filter((s) => s.channelID === channelID && s.topic === stored.topic))
          this.#drop(channelID, old.version);
      }
      this.#stored.push(stored);
    }
    socket?.send(JSON.stringify(notificationOf(stored)));
    return entry;
  }
}

/** The `notification` message autopush sends (ttl and topic are not serialised). */
function notificationOf(stored: StoredMessage): object {
  return {
    messageType: 'notification',
    channelID: stored.channelID,
    version: stored.version,
    ...(stored.data === null ? {} : { data: stored.data, headers: stored.headers }),
  };
}

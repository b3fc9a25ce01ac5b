import { execFileSync } from 'node:child_process';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConditionWaiters } from './condition-waiters';

/**
 * A local push service for tests: HTTPS on 127.0.0.1 that speaks RFC 8030 (push message
 * requests), checks VAPID (RFC 8292) and decrypts aes128gcm bodies (RFC 8291 over RFC 8188)
 * with node:crypto alone — written from the RFCs, sharing no code with web-push or http_ece —
 * using keys held by a simulated browser. Each endpoint can be scripted to misbehave.
 */

// ─── The browser side ────────────────────────────────────────────────────────────────────────

/** A simulated browser's subscription: what it would hand the app, and the private half. */
export interface SimulatedSubscription {
  /** What `PushSubscription.toJSON()` gives. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  endpoint: string;
  /** User agent ECDH key pair (RFC 8291 §2) and authentication secret (§3.2). */
  ecdh: ECDH;
  auth: Buffer;
}

// ─── RFC 8291 + RFC 8188 decryption ──────────────────────────────────────────────────────────

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  // HKDF (RFC 5869) = Expand(Extract(salt, ikm), info, length), as RFC 8291 §3.4 and RFC 8188 §2.2 use it.
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/**
 * Decrypts an `aes128gcm` push message body for the user agent holding `ecdh` and `auth`.
 * Throws with the reason when anything does not check out.
 */
export function decryptPushBody(body: Buffer, ecdh: ECDH, auth: Buffer): Buffer {
  // RFC 8188 §2.1 header: salt (16) ‖ rs (uint32) ‖ idlen (1) ‖ keyid (idlen).
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  // RFC 8291 §4: keyid is the application server's ephemeral public key, an uncompressed point.
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, expected the 65-byte as_public`);
  if (rs < 18) throw new Error(`record size ${rs} below the minimum of 18`);
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);

  // RFC 8291 §3.3–3.4: ECDH, then the auth secret mixed in, then RFC 8188's content key and nonce.
  const uaPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'latin1'), uaPublic, asPublic]);
  const ikm = hkdf(ecdhSecret, auth, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0', 'latin1'), 16);
  const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0', 'latin1'), 12);

  // RFC 8188 §2: records of `rs` bytes (the last may be shorter), each with a 16-byte tag.
  const records: Buffer[] = [];
  for (let offset = 0; offset < ciphertext.length; offset += rs) records.push(ciphertext.subarray(offset, offset + rs));
  if (records.length === 0) throw new Error('no records');
  // RFC 8291 §4: a push message is a single record.
  if (records.length !== 1) throw new Error(`${records.length} records; a push message is one record`);
  const plain: Buffer[] = records.map((record, seq) => {
    if (record.length < 17) throw new Error('record shorter than its tag');
    // RFC 8188 §2.3: the nonce for record SEQ is NONCE XOR SEQ (96-bit, big-endian); SEQ fits the low 32 bits.
    const iv = Buffer.from(nonce);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // RFC 8188 §2: data ‖ delimiter ‖ zero padding; delimiter 2 on the last record, 1 before.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const delimiter = padded[end];
    const last = seq === records.length - 1;
    if (delimiter !== (last ? 2 : 1)) throw new Error(`record ${seq} has padding delimiter ${delimiter}`);
    return padded.subarray(0, end);
  });
  return Buffer.concat(plain);
}

// ─── RFC 8292 VAPID verification ─────────────────────────────────────────────────────────────

/** The claims of a VAPID token that verified. */
export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  /** The `k` parameter: the application server's public key. */
  key: string;
}

function p256Key(point: Buffer): KeyObject {
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

/**
 * Checks an `Authorization: vapid t=…, k=…` header (RFC 8292 §3): ES256 signature by `k`,
 * `aud` equal to the push resource's origin, `exp` in the future and at most 24 hours away
 * (§2), and a `sub`. Throws with the reason otherwise.
 */
export function verifyVapid(header: string | undefined, audience: string, nowMs: number = Date.now()): VapidClaims {
  const match = header ? /^vapid\s+(.*)$/i.exec(header) : null;
  if (!match?.[1]) throw new Error('no vapid Authorization');
  const params = new Map(
    match[1].split(',').map((part) => {
      const [name = '', ...value] = part.trim().split('=');
      return [name.trim().toLowerCase(), value.join('=').trim()] as const;
    }),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw new Error('vapid credentials need both t and k');
  const [head, body, signature, ...extra] = token.split('.');
  if (!head || !body || !signature || extra.length > 0) throw new Error('t is not a compact JWS');
  const header64 = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
  if (header64.alg !== 'ES256') throw new Error(`JWT alg ${header64.alg}, expected ES256`);
  // JWS ES256 signatures are r ‖ s, 64 bytes (RFC 7518 §3.4), not DER.
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key: p256Key(Buffer.from(key, 'base64url')), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<VapidClaims>;
  const now = Math.floor(nowMs / 1000);
  if (claims.aud !== audience) throw new Error(`aud ${claims.aud} is not ${audience}`);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new Error('JWT has expired');
  if (claims.exp > now + 24 * 3600) throw new Error('JWT exp is more than 24 hours ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub is not a mailto: or https: URI');
  return { aud: claims.aud, exp: claims.exp, sub: claims.sub, key };
}

// ─── The push service ────────────────────────────────────────────────────────────────────────

/** A scripted answer for the next request to an endpoint; `hang` never answers. */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** One push message request as the service saw it. */
export interface ReceivedRequest {
  endpoint: string;
  at: number;
  /** What the service answered (null: hung). */
  status: number | null;
  ttl: number | null;
  urgency: string | null;
  topic: string | null;
  vapid: VapidClaims | null;
  /** The raw JWT (`t`): ES256 signatures are randomised, so equal tokens mean one signature reused. */
  token: string | null;
  /** Decrypted payload; null when there was none or it did not decrypt. */
  payload: string | null;
  /** Why the request was refused, when it was. */
  problem: string | null;
}

/** A message waiting in the push service for the device (RFC 8030 §5). */
export interface QueuedMessage {
  payload: string;
  urgency: string;
  topic: string | null;
  expiresAt: number;
}

interface Registration {
  subscription: SimulatedSubscription;
  /** `applicationServerKey` the browser subscribed with: VAPID's `k` must match it (RFC 8292 §4.2). */
  applicationServerKey: string;
  script: ScriptedAnswer[];
  queue: QueuedMessage[];
}

const URGENCIES = ['very-low', 'low', 'normal', 'high'];
/** RFC 8030 §7.2: push services accept at least 4096 bytes of payload. */
const MAX_BODY = 4096;

export class LocalPushService {
  /** `https://localhost:<port>`: the origin endpoints live on and VAPID's `aud`. */
  readonly origin: string;
  /** `localhost:<port>`, for PUSH_ALLOWED_HOSTS. */
  readonly host: string;
  /** TCP connections accepted so far. */
  connections = 0;
  readonly requests: ReceivedRequest[] = [];
  readonly #registrations = new Map<string, Registration>();
  readonly #hung = new Set<ServerResponse>();
  readonly #waiters = new ConditionWaiters();

  private constructor(
    private readonly server: https.Server,
    /** PEM file of the self-signed certificate, for PUSH_EXTRA_CA_FILE. */
    readonly caFile: string,
    private readonly dir: string,
    /** Skip the JWT and decryption checks (benchmarks measuring the sender only). */
    private readonly verifyRequests: boolean,
  ) {
    const { port } = server.address() as AddressInfo;
    this.host = `localhost:${port}`;
    this.origin = `https://${this.host}`;
  }

  /** Starts on 127.0.0.1 with a fresh self-signed certificate for `localhost`. */
  static async start(options: { verify?: boolean } = {}): Promise<LocalPushService> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-push-'));
    const { key, cert } = selfSignedCertificate(dir);
    let service: LocalPushService | undefined;
    const server = https.createServer({ key, cert, keepAliveTimeout: 30_000 }, (request, response) => {
      service?.handle(request, response);
    });
    server.on('connection', () => {
      if (service) service.connections++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new LocalPushService(server, path.join(dir, 'cert.pem'), dir, options.verify ?? true);
    return service;
  }

  /** A browser subscribing with the app's VAPID public key: a fresh endpoint and key pair. */
  subscribe(applicationServerKey: string): SimulatedSubscription {
    const endpoint = `${this.origin}/push/${randomUUID()}`;
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const subscription: SimulatedSubscription = {
      endpoint,
      ecdh,
      auth,
      json: {
        endpoint,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
    };
    this.#registrations.set(new URL(endpoint).pathname, { subscription, applicationServerKey, script: [], queue: [] });
    return subscription;
  }

  /** Queues answers for the next requests to an endpoint; once used up, it answers 201 again. */
  script(endpoint: string, ...answers: ScriptedAnswer[]): void {
    this.#registration(endpoint).script.push(...answers);
  }

  /** Requests made to one endpoint. */
  received(endpoint: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** Messages the device would receive on connecting now: unexpired, one per topic. */
  mailbox(endpoint: string, now: number = Date.now()): QueuedMessage[] {
    return this.#registration(endpoint).queue.filter((m) => m.expiresAt > now);
  }

  /** Resolves once `predicate` holds (checked on every request), or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    return this.#waiters.waitFor(
      predicate,
      timeoutMs,
      () => `push service: condition not met within ${timeoutMs} ms (${this.requests.length} requests seen)`,
    );
  }

  async close(): Promise<void> {
    for (const response of this.#hung) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  #registration(endpoint: string): Registration {
    const registration = this.#registrations.get(new URL(endpoint).pathname);
    if (!registration) throw new Error(`no subscription at ${endpoint}`);
    return registration;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = this.receive(request, Buffer.concat(chunks), response);
      this.requests.push(entry);
      this.#waiters.changed();
    });
  }

  private receive(request: IncomingMessage, body: Buffer, response: ServerResponse): ReceivedRequest {
    const pathname = new URL(request.url ?? '/', this.origin).pathname;
    const endpoint = `${this.origin}${pathname}`;
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    const ttlText = header('ttl');
    const entry: ReceivedRequest = {
      endpoint,
      at: Date.now(),
      status: null,
      ttl: ttlText !== null && /^\d+$/.test(ttlText) ? Number(ttlText) : null,
      urgency: header('urgency'),
      topic: header('topic'),
      vapid: null,
      token: /\bt=([^,\s]+)/.exec(header('authorization') ?? '')?.[1] ?? null,
      payload: null,
      problem: null,
    };
    const answer = (status: number, problem: string | null = null, headers: Record<string, string> = {}, text = '') => {
      entry.status = status;
      entry.problem = problem;
      response.writeHead(status, headers).end(text || (problem ? JSON.stringify({ reason: problem }) : ''));
      return entry;
    };
    const registration = this.#registrations.get(pathname);
    if (request.method !== 'POST') return answer(405, 'push message requests are POSTs');
    if (!registration) return answer(404, 'no such subscription');

    // Checked before any scripted answer, so every request is held to the protocol.
    const problem = this.verifyRequests ? this.check(request, body, registration, entry) : null;
    const scripted = registration.script.shift();
    if (scripted === 'hang') {
      this.#hung.add(response);
      return entry;
    }
    if (scripted) return answer(scripted.status, problem?.reason ?? null, scripted.headers, scripted.body);
    if (problem) return answer(problem.status, problem.reason);

    // RFC 8030 §5.2: TTL 0 means deliver now or never; this device is never connected.
    if (entry.ttl !== 0 && entry.payload !== null) {
      // §5.4: a message with a topic replaces an undelivered one with the same topic.
      registration.queue = registration.queue.filter((m) => entry.topic === null || m.topic !== entry.topic);
      registration.queue.push({
        payload: entry.payload,
        urgency: entry.urgency ?? 'normal',
        topic: entry.topic,
        expiresAt: entry.at + (entry.ttl ?? 0) * 1000,
      });
    }
    // §5: 201 Created, with the push message resource in Location.
    return answer(201, null, { Location: `${this.origin}/message/${randomUUID()}` });
  }

  /** The protocol checks; null when the request is acceptable, else the status and reason. */
  private check(
    request: IncomingMessage,
    body: Buffer,
    registration: Registration,
    entry: ReceivedRequest,
  ): { status: number; reason: string } | null {
    try {
      entry.vapid = verifyVapid(request.headers.authorization, this.origin);
    } catch (error) {
      return { status: 401, reason: (error as Error).message };
    }
    // RFC 8292 §4.2: a key other than the one the subscription was made with is a 403.
    if (entry.vapid.key !== registration.applicationServerKey)
      return { status: 403, reason: 'k is not the key this subscription was made with' };
    if (entry.ttl === null) return { status: 400, reason: 'TTL header missing or not a number (RFC 8030 §5.2)' };
    if (entry.urgency !== null && !URGENCIES.includes(entry.urgency))
      return { status: 400, reason: `Urgency ${entry.urgency} unknown (RFC 8030 §5.3)` };
    if (entry.topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(entry.topic))
      return { status: 400, reason: 'Topic must be 1–32 base64url characters (RFC 8030 §5.4)' };
    if (body.length > MAX_BODY) return { status: 413, reason: `body of ${body.length} bytes is over ${MAX_BODY}` };
    if (body.length === 0) return null;
    if (request.headers['content-encoding'] !== 'aes128gcm')
      return { status: 415, reason: 'Content-Encoding must be aes128gcm (RFC 8291 §4)' };
    try {
      const { ecdh, auth } = registration.subscription;
      entry.payload = decryptPushBody(body, ecdh, auth).toString('utf8');
    } catch (error) {
      return { status: 400, reason: `cannot decrypt: ${(error as Error).message}` };
    }
    return null;
  }
}

/** A P-256 self-signed certificate for `localhost` (also its own CA), made with the openssl CLI. */
export function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(`the local push service needs the openssl CLI to make its certificate: ${(error as Error).message}`);
  }
  return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
}

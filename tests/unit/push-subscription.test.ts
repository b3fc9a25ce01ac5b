import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PushKeyResponse, PushSubscriptionStateResponse } from '../../src/shared/api';
import { ApiRequestError, type CallArgs, type JsonRouteName } from '../../src/shared/http-client';
import {
  decidePushCheck,
  fromBase64Url,
  type LocalSubscription,
  type PushCheckInput,
  toBase64Url,
} from '../../src/shared/push-subscription-check';
import {
  type BrowserPushManager,
  type BrowserPushSubscription,
  checkPushSubscription,
  PushSetupError,
  type PushSubscriptionDeps,
  subscribeAndSave,
  unsubscribeAndForget,
} from '../../src/shared/push-subscription-flow';
import { methodsOf, type ResponseOf, ROUTES } from '../../src/shared/routes';

const NOW = Date.UTC(2026, 10, 30, 8);
const KEY: PushKeyResponse = { publicKey: toBase64Url(new Uint8Array(65).fill(4)), keyId: 'key-2' };
const OLD_KEY = toBase64Url(new Uint8Array(65).fill(7));
const ENDPOINT = 'https://fcm.googleapis.com/fcm/send/abc';

const local = (overrides: Partial<LocalSubscription> = {}): LocalSubscription => ({
  endpoint: ENDPOINT,
  applicationServerKey: KEY.publicKey,
  expirationTime: null,
  ...overrides,
});
const server = (
  status: PushSubscriptionStateResponse['status'],
  overrides: Partial<NonNullable<PushSubscriptionStateResponse['subscription']>> = {},
): PushSubscriptionStateResponse => ({
  status,
  keyId: KEY.keyId,
  subscription:
    status === 'none'
      ? null
      : {
          endpoint: ENDPOINT,
          expirationTime: null,
          keyId: status === 'stale' ? 'key-1' : KEY.keyId,
          updatedAt: '2026-11-29T08:00:00Z',
          ...overrides,
        },
});
const input = (overrides: Partial<PushCheckInput>): PushCheckInput => ({
  permission: 'granted',
  local: local(),
  server: server('current'),
  key: KEY,
  now: NOW,
  ...overrides,
});

describe('decidePushCheck', () => {
  it.each([
    ['subscribed, and the server holds the same endpoint under the current key', {}, { action: 'none', state: 'current' }],
    ['never subscribed', { local: null, server: server('none') }, { action: 'none', state: 'not-subscribed' }],
    [
      'permission not asked yet, nothing on the server',
      { permission: 'prompt', local: null, server: server('none') },
      { action: 'none', state: 'not-granted' },
    ],
    [
      'permission denied, nothing on the server',
      { permission: 'denied', local: null, server: server('none') },
      { action: 'none', state: 'not-granted' },
    ],
    [
      'permission withdrawn while the server still pushes',
      { permission: 'denied', local: null },
      { action: 'forget', reason: 'permission-withdrawn' },
    ],
    [
      'Safari’s default permission with a server record',
      { permission: 'default', server: server('stale') },
      { action: 'forget', reason: 'permission-withdrawn' },
    ],
    [
      'the server lost the subscription (410 from the push service, database restored)',
      { server: server('none') },
      { action: 'put', reason: 'server-has-none' },
    ],
    [
      'the browser renewed the endpoint silently',
      { server: server('current', { endpoint: `${ENDPOINT}-old` }) },
      { action: 'put', reason: 'endpoint-differs' },
    ],
    [
      'the browser already holds a current-key subscription the server has under an old key id',
      { server: server('stale') },
      { action: 'put', reason: 'server-record-outdated' },
    ],
    [
      'the server’s VAPID key changed',
      { local: local({ applicationServerKey: OLD_KEY }), server: server('stale') },
      { action: 'resubscribe', reason: 'key-changed' },
    ],
    [
      'the key changed and the server has no record at all',
      { local: local({ applicationServerKey: OLD_KEY }), server: server('none') },
      { action: 'resubscribe', reason: 'key-changed' },
    ],
    [
      'stale on the server and the browser does not expose its key',
      { local: local({ applicationServerKey: null }), server: server('stale') },
      { action: 'resubscribe', reason: 'key-changed' },
    ],
    ['no exposed key but the server says current', { local: local({ applicationServerKey: null }) }, { action: 'none', state: 'current' }],
    ['the subscription expired', { local: local({ expirationTime: NOW - 1 }) }, { action: 'resubscribe', reason: 'expired' }],
    ['the subscription expires later', { local: local({ expirationTime: NOW + 60_000 }) }, { action: 'none', state: 'current' }],
    ['the browser dropped a subscription the server still holds', { local: null }, { action: 'resubscribe', reason: 'browser-dropped-it' }],
  ] as const)('%s', (_, overrides, expected) => {
    expect(decidePushCheck(input(overrides as Partial<PushCheckInput>))).toEqual(expected);
  });
});

describe('base64url', () => {
  it('round-trips every length and byte, without padding', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });
  it('refuses other alphabets and impossible lengths', () => {
    expect(() => fromBase64Url('ab+/')).toThrow('not base64url');
    expect(() => fromBase64Url('abcde')).toThrow('not base64url');
    expect(fromBase64Url('YQ==')).toEqual(new Uint8Array([97]));
  });
});

/** A browser's PushManager in memory: what subscribe was asked, and what it answers. */
class FakePushManager implements BrowserPushManager {
  current: BrowserPushSubscription | null = null;
  permission: 'granted' | 'denied' | 'prompt' = 'granted';
  subscribeCalls: string[] = [];
  unsubscribed: string[] = [];
  subscribeBehaviour: 'ok' | 'hang' | Error = 'ok';
  private serial = 0;

  async permissionState() {
    return this.permission;
  }
  async getSubscription() {
    return this.current;
  }
  subscribe({ applicationServerKey }: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }) {
    this.subscribeCalls.push(toBase64Url(applicationServerKey));
    if (this.subscribeBehaviour === 'hang') return new Promise<BrowserPushSubscription>(() => {});
    if (this.subscribeBehaviour instanceof Error) return Promise.reject(this.subscribeBehaviour);
    this.current = this.make(applicationServerKey);
    return Promise.resolve(this.current);
  }
  make(key: Uint8Array, endpoint = `${ENDPOINT}/${++this.serial}`): BrowserPushSubscription {
    const subscription: BrowserPushSubscription = {
      endpoint,
      expirationTime: null,
      options: { applicationServerKey: key.slice().buffer },
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'p256dh', auth: 'auth' } }),
      unsubscribe: async () => {
        this.unsubscribed.push(endpoint);
        if (this.current === subscription) this.current = null;
        return true;
      },
    };
    return subscription;
  }
}

/** The server's push routes in memory, recording each call. */
function fakeServer(initialKey: PushKeyResponse) {
  let key = initialKey;
  let stored: { endpoint: string; keyId: string } | null = null;
  const calls: string[] = [];
  const state = (): PushSubscriptionStateResponse =>
    stored
      ? {
          status: stored.keyId === key.keyId ? 'current' : 'stale',
          keyId: key.keyId,
          subscription: { endpoint: stored.endpoint, expirationTime: null, keyId: stored.keyId, updatedAt: 'now' },
        }
      : { status: 'none', keyId: key.keyId, subscription: null };
  async function call<K extends JsonRouteName>(name: K, ...[options]: CallArgs<K>): Promise<ResponseOf<K>> {
    const method = methodsOf(name)[0];
    const { body, token } = (options ?? {}) as { body?: unknown; token?: string };
    const answer = (value: unknown) => value as ResponseOf<K>;
    calls.push(`${method} ${ROUTES[name].path}`);
    if (name !== 'pushKey' && token !== 'device-token') throw new ApiRequestError(401, 'UNAUTHORIZED', 'no token');
    if (name === 'pushKey') return answer(key);
    if (method === 'GET') return answer(state());
    if (method === 'DELETE') {
      stored = null;
      return answer(undefined);
    }
    const request = body as { endpoint: string; keyId: string };
    if (request.keyId !== key.keyId) throw new ApiRequestError(409, 'VAPID_KEY_CHANGED', 'body/keyId: the key changed');
    stored = { endpoint: request.endpoint, keyId: request.keyId };
    return answer(state());
  }
  return {
    call,
    calls,
    get stored() {
      return stored;
    },
    rotate(next: PushKeyResponse) {
      key = next;
    },
  };
}

function setup() {
  const pushManager = new FakePushManager();
  const api = fakeServer(KEY);
  return { pushManager, api, deps: { pushManager, call: api.call, token: 'device-token', subscribeTimeoutMs: 50, now: () => NOW } };
}

describe('subscribeAndSave / checkPushSubscription / unsubscribeAndForget', () => {
  it('subscribes with the server’s key, userVisibleOnly, and PUTs the subscription with its key id', async () => {
    const { pushManager, api, deps } = setup();
    const state = await subscribeAndSave(deps);
    expect(pushManager.subscribeCalls).toEqual([KEY.publicKey]);
    expect(state).toMatchObject({ status: 'current', keyId: KEY.keyId, subscription: { endpoint: `${ENDPOINT}/1` } });
    expect(api.calls).toEqual(['GET /api/push/key', 'PUT /api/push/subscription']);
  });

  it('times out a subscribe that never settles, as push-service-unreachable, and stores nothing', async () => {
    const { pushManager, api, deps } = setup();
    pushManager.subscribeBehaviour = 'hang';
    const failure = await subscribeAndSave(deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PushSetupError);
    expect(failure).toMatchObject({ code: 'push-service-unreachable', message: 'no answer after 0 s; are you offline?' });
    expect(api.stored).toBeNull();
  });

  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['AbortError', 'push-service-unreachable'],
    ['InvalidStateError', 'subscribe-failed'],
  ])('names a subscribe rejected with %s as %s', async (name, code) => {
    const { pushManager, deps } = setup();
    pushManager.subscribeBehaviour = Object.assign(new Error('Registration failed - push service not available'), { name });
    await expect(subscribeAndSave(deps)).rejects.toMatchObject({ code, message: 'Registration failed - push service not available' });
  });

  it('re-checking a current subscription sends nothing', async () => {
    const { api, deps } = setup();
    await subscribeAndSave(deps);
    api.calls.length = 0;
    const result = await checkPushSubscription(deps);
    expect(result.decision).toEqual({ action: 'none', state: 'current' });
    expect(api.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('after a key change: unsubscribes, subscribes with the new key and PUTs it', async () => {
    const { pushManager, api, deps } = setup();
    await subscribeAndSave(deps);
    const next = { publicKey: toBase64Url(new Uint8Array(65).fill(9)), keyId: 'key-3' };
    api.rotate(next);
    const result = await checkPushSubscription(deps);
    expect(result.decision).toEqual({ action: 'resubscribe', reason: 'key-changed' });
    expect(pushManager.unsubscribed).toEqual([`${ENDPOINT}/1`]);
    expect(pushManager.subscribeCalls).toEqual([KEY.publicKey, next.publicKey]);
    expect(result.state).toMatchObject({ status: 'current', keyId: 'key-3', subscription: { endpoint: `${ENDPOINT}/2` } });
  });

  it('PUTs again when the server has lost the subscription', async () => {
    const { pushManager, api, deps } = setup();
    await subscribeAndSave(deps);
    await api.call('deletePushSubscription', { token: 'device-token' });
    const result = await checkPushSubscription(deps);
    expect(result.decision).toEqual({ action: 'put', reason: 'server-has-none' });
    expect(api.stored).toEqual({ endpoint: `${ENDPOINT}/1`, keyId: KEY.keyId });
    expect(pushManager.subscribeCalls).toHaveLength(1);
  });

  it('forgets the server’s record once permission is withdrawn', async () => {
    const { pushManager, api, deps } = setup();
    await subscribeAndSave(deps);
    pushManager.permission = 'denied';
    pushManager.current = null;
    const result = await checkPushSubscription(deps);
    expect(result.decision).toEqual({ action: 'forget', reason: 'permission-withdrawn' });
    expect(api.stored).toBeNull();
  });

  it('retries once with the new key when the key changes between GET and PUT (409)', async () => {
    const { pushManager, api, deps } = setup();
    const next = { publicKey: toBase64Url(new Uint8Array(65).fill(5)), keyId: 'key-9' };
    const call = deps.call;
    let first = true;
    const racing: PushSubscriptionDeps = {
      ...deps,
      call: async (name, ...args) => {
        const answer = await call(name, ...args);
        if (first && name === 'pushKey') {
          first = false;
          api.rotate(next); // the server restarts with new keys right after answering
        }
        return answer;
      },
    };
    const state = await subscribeAndSave(racing);
    expect(state).toMatchObject({ status: 'current', keyId: 'key-9' });
    expect(pushManager.subscribeCalls).toEqual([KEY.publicKey, next.publicKey]);
    expect(pushManager.unsubscribed).toEqual([`${ENDPOINT}/1`]);
  });

  it('stop: the server forgets first, then the browser unsubscribes; a server failure leaves it subscribed', async () => {
    const { pushManager, api, deps } = setup();
    await subscribeAndSave(deps);
    const offline = { ...deps, call: async () => Promise.reject(new Error('offline')) };
    await expect(unsubscribeAndForget(offline)).rejects.toThrow('offline');
    expect(pushManager.current).not.toBeNull();
    await unsubscribeAndForget(deps);
    expect(api.stored).toBeNull();
    expect(pushManager.current).toBeNull();
    expect((await checkPushSubscription(deps)).decision).toEqual({ action: 'none', state: 'not-subscribed' });
  });
});

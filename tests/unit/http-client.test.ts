import { describe, expect, it } from 'vitest';
import { normalisePairingCode, PAIRING_CODE_PATTERN, pairingCodeFromHash, pairingUrl } from '../../src/shared/api';
import { backoffDelay } from '../../src/shared/backoff';
import { ApiRequestError, callApi, type FetchLike, NetworkError, parseRetryAfter } from '../../src/shared/http-client';
import { offlineErrorBody } from '../../src/shared/offline-answer';

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30],
    ['soon', null],
    [null, null],
  ])('%s → %s', (header, expected) => {
    expect(parseRetryAfter(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, stays between half and all of it, and caps', () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 60_000, () => 0.5)).toBe(45_000);
  });
});

describe('normalisePairingCode', () => {
  it('accepts what people type and rejects what is not a code', () => {
    expect(normalisePairingCode(' abcd efgh jkmn pqrs ')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalisePairingCode('0o1l-2345-6789-abcd')).toBe('0011-2345-6789-ABCD');
    const pattern = new RegExp(PAIRING_CODE_PATTERN);
    expect(pattern.test(normalisePairingCode('abcd-efgh-jkmn-pqrs'))).toBe(true);
    expect(pattern.test(normalisePairingCode('abcdefghjkmnpqrs'))).toBe(true);
    expect(pattern.test(normalisePairingCode('abcd-efgh-jkmn'))).toBe(false); // an old 12-character sync code
    expect(pattern.test(normalisePairingCode('abcd-efgh-jkmn-pqr'))).toBe(false);
    expect(pattern.test(normalisePairingCode('abcd-efgh-jkmn-pqru'))).toBe(false); // U is not Crockford
  });

  it('travels in the fragment of the app URL the QR code encodes', () => {
    const url = pairingUrl('https://steady.example', 'ABCD-EFGH-JKMN-PQRS');
    expect(url).toBe('https://steady.example/settings#pair=ABCD-EFGH-JKMN-PQRS');
    expect(pairingCodeFromHash(new URL(url).hash)).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(pairingCodeFromHash('#transfers')).toBeNull();
    expect(pairingCodeFromHash('#pair=<script>')).toBeNull();
  });
});

function answer(status: number, body: string, headers: Record<string, string> = {}): FetchLike {
  return async () => ({
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    json: async () => JSON.parse(body),
    text: async () => body,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer as ArrayBuffer,
  });
}

describe('callApi', () => {
  it('returns the parsed body', async () => {
    await expect(callApi(answer(200, '{"a":1}'), '', 'health')).resolves.toEqual({ a: 1 });
  });
  it('turns an error answer into ApiRequestError with code, message and Retry-After', async () => {
    const error = await callApi(answer(429, '{"code":"SLOW_DOWN","message":"too many"}', { 'retry-after': '7' }), '', 'health').catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 429, code: 'SLOW_DOWN', message: 'too many', retryAfter: 7, retryable: true });
  });
  it('marks other 4xx as not retryable, and survives a non-JSON error page', async () => {
    const error = await callApi(answer(400, '<html>bad</html>'), '', 'health').catch((e) => e);
    expect(error).toMatchObject({ status: 400, code: 'HTTP_400', retryable: false });
  });
  it('reports a failed request as NetworkError', async () => {
    const offline: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(callApi(offline, '', 'health')).rejects.toBeInstanceOf(NetworkError);
  });
  it("reads the service worker's offline answer as the same NetworkError, and a server's 503 as a server error", async () => {
    const cause = new TypeError('Failed to fetch');
    const direct = (await callApi(async () => Promise.reject(cause), '', 'health').catch((e: Error) => e)) as Error;
    const viaWorker = (await callApi(answer(503, JSON.stringify(offlineErrorBody(cause))), '', 'health').catch((e: Error) => e)) as Error;
    expect(viaWorker).toBeInstanceOf(NetworkError);
    expect(viaWorker.message).toBe(direct.message);
    const busy = await callApi(answer(503, '{"code":"DB_DOWN","message":"database unavailable"}'), '', 'health').catch((e) => e);
    expect(busy).toMatchObject({ name: 'ApiRequestError', status: 503, code: 'DB_DOWN', retryable: true });
    // The code alone is not enough: only a 503 is the service worker's answer.
    const other = await callApi(answer(500, JSON.stringify({ ...offlineErrorBody(cause), statusCode: 500 })), '', 'health').catch((e) => e);
    expect(other).toBeInstanceOf(ApiRequestError);
  });
});

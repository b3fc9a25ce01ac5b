import { describe, expect, it } from 'vitest';
import { apiCaller, type FetchLike } from '../../src/shared/http-client';
import { pathOf, ROUTES, urlOf } from '../../src/shared/routes';

/** A fetch that records what it was asked and answers 200 `{}`. */
function recordingFetch() {
  const seen: { url: string; method?: string; body?: unknown; authorization?: string }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    seen.push({ url, method: init?.method, body: init?.body, authorization: init?.headers?.authorization });
    return {
      status: 200,
      ok: true,
      headers: { get: () => null },
      json: async () => ({}),
      text: async () => '{}',
      arrayBuffer: async () => new ArrayBuffer(0),
    };
  };
  return { fetchFn, seen };
}

describe('pathOf / urlOf', () => {
  it('fills each :param, URL-encoded, so an id cannot add a path segment or a query', () => {
    expect(pathOf('revokeDevice', { id: 'a/b?c=d#e f' })).toBe('/api/devices/a%2Fb%3Fc%3Dd%23e%20f');
    expect(pathOf('uploadBatch', { batchId: '0a' })).toBe('/api/sync/batches/0a');
    expect(pathOf('listDevices')).toBe(ROUTES.listDevices.path);
  });
  it('refuses a missing param rather than sending ":id" to the server', () => {
    expect(() => pathOf('deleteBackup', {})).toThrow('deleteBackup: params.id is missing');
  });
  it('adds the query fields that are set, encoded', () => {
    expect(urlOf('pullChanges', undefined, { cursor: 'a+b/c=', limit: undefined })).toBe('/api/sync/changes?cursor=a%2Bb%2Fc%3D');
    expect(urlOf('pullChanges', undefined, { cursor: undefined })).toBe('/api/sync/changes');
  });
});

describe('callApi by route name', () => {
  it('takes the method and path from the table, and sends the body as JSON with the token', async () => {
    const { fetchFn, seen } = recordingFetch();
    const api = apiCaller(fetchFn, 'https://steady.example');
    await api('revokeDevice', { params: { id: 'd 1' }, token: 't' });
    await api('joinDevice', { body: { pairingCode: 'ABCD-EFGH-JKMN-PQRS', name: 'Pixel' } });
    await api('readings', { query: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, token: 't' });
    expect(seen).toEqual([
      { url: 'https://steady.example/api/devices/d%201', method: 'DELETE', body: undefined, authorization: 'Bearer t' },
      {
        url: 'https://steady.example/api/devices',
        method: 'POST',
        body: '{"pairingCode":"ABCD-EFGH-JKMN-PQRS","name":"Pixel"}',
        authorization: undefined,
      },
      {
        url: 'https://steady.example/api/readings?from=2026-01-01T00%3A00%3A00Z&to=2026-01-02T00%3A00%3A00Z',
        method: 'GET',
        body: undefined,
        authorization: 'Bearer t',
      },
    ]);
  });
});

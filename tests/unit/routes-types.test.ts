import { describe, expect, it } from 'vitest';
import type { ListDevicesResponse } from '../../src/shared/api';
import { apiCaller, type FetchLike } from '../../src/shared/http-client';
import { pathOf, type RouteSpec } from '../../src/shared/routes';

/**
 * Type-level checks, enforced by `npm run typecheck` (tsc -p tests): each `@ts-expect-error`
 * fails the build if the line it guards ever compiles. The calls never run.
 */
const never: FetchLike = async () => {
  throw new Error('not called');
};
const api = apiCaller(never, '');

function typeChecks() {
  // @ts-expect-error not a route name
  void api('listDevice');
  // @ts-expect-error a body the route does not take
  void api('listDevices', { body: { name: 'x' } });
  // @ts-expect-error a wrong body: joinDevice needs pairingCode and name
  void api('joinDevice', { body: { name: 'x' } });
  // @ts-expect-error the route's params are required
  void api('revokeDevice', { token: 't' });
  // @ts-expect-error a binary route is fetched raw, not through the JSON client
  void api('uploadBatch', { params: { batchId: 'b' }, body: new Uint8Array(1) });
  // @ts-expect-error a param the path does not have
  void pathOf('listDevices', 42);
  const listed: Promise<ListDevicesResponse> = api('listDevices', { token: 't' });
  // @ts-expect-error the answer is the route's response type, not one the caller picks
  const wrong: Promise<string> = api('listDevices', { token: 't' });
  // @ts-expect-error a route outside the API prefix: the service worker would cache it, the server serve the app shell
  const outside: RouteSpec = { method: 'GET', path: '/health', auth: false };
  return [listed, wrong, outside];
}

describe('route types', () => {
  it('are checked by tsc (see the @ts-expect-error lines above)', () => {
    expect(typeof typeChecks).toBe('function');
  });
});

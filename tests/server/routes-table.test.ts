import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRouteFor } from '../../server/rate-limit/rules';
import { methodsOf, ROUTES, type RouteName } from '../../src/shared/routes';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * `METHOD /path` of every route Fastify holds, read from `printRoutes`' tree (four columns per
 * level, `├── segment (METHODS)`). The HEAD Fastify adds beside each GET is left out: it is not
 * a route of ours.
 */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const methods = (match[3] ?? '').split(', ').filter(Boolean);
    for (const method of methods) {
      if (method === 'HEAD' && methods.includes('GET')) continue;
      routes.push(`${method} ${stack.join('')}`);
    }
  }
  return routes.sort();
}

describe('the route table (src/shared/routes.ts)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('names every route the server registers, and the server registers every route it names', () => {
    const table = (Object.keys(ROUTES) as RouteName[]).flatMap((name) => methodsOf(name).map((m) => `${m} ${ROUTES[name].path}`));
    const registered = registeredRoutes(server.app.printRoutes({ commonPrefix: false }));
    expect(registered.length).toBeGreaterThan(20);
    expect(registered).toEqual(table.sort());
  });

  it('guards exactly the routes marked auth: a call without a token is 401 there and only there', async () => {
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const spec = ROUTES[name];
      if (spec.path.includes('*')) continue; // the tus preflight: answered by @tus/server itself
      const method = methodsOf(name)[0] ?? 'GET';
      // Parameters and a query that pass the schemas (validated before the token), so only the token is missing.
      const path = spec.path.replace(':batchId', crypto.randomUUID()).replace(':id', crypto.randomUUID());
      const url = name === 'readings' ? `${path}?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z` : path;
      const response = await fetch(`${server.url}${url}`, { method });
      expect({ name, unauthorized: response.status === 401 }).toEqual({ name, unauthorized: spec.auth });
    }
  });

  it('finds each registered route back by its method and URL, as the rate limits look them up', () => {
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      for (const method of methodsOf(name)) expect(tableRouteFor(method, ROUTES[name].path)).toBe(name);
    }
    // Fastify's automatic HEAD beside a GET is not a route of the table, so no limit attaches to it.
    expect(tableRouteFor('HEAD', ROUTES.exportBackup.path)).toBeNull();
  });
});

import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { RouteName } from '../../src/shared/routes';
import { deviceOf } from '../auth/authenticate';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { DatabaseCounters, MemoryCounters } from './counters';
import { type RateLimitConfig, ROUTE_LIMITS, type RouteLimitName, routeLimitFor, tableRouteFor } from './rules';

const tooMany = (seconds: number) =>
  new ApiError(429, 'RATE_LIMITED', `too many requests: try again in ${seconds} second${seconds === 1 ? '' : 's'}`);

/**
 * Rate limits with @fastify/rate-limit, answered 429 with `Retry-After` (which the app's HTTP
 * client honours). Two layers:
 * - a flood guard on every request, per address, counted in this instance's memory;
 * - the limits of ROUTE_LIMITS on top, counted in the database so that every instance shares
 *   them: anonymous routes per address before anything is parsed, authenticated routes per
 *   account once the device token has been checked.
 * Register before any route. ROUTE_LIMITS names routes by their key in the route table, so a
 * renamed route fails to compile; a named route that is never registered fails start-up.
 * Either way no limit is silently lost.
 */
export async function rateLimits(app: FastifyInstance, { limits, db }: { limits: RateLimitConfig; db: Kysely<Database> }) {
  const routeCounters = new DatabaseCounters(db);
  await app.register(fastifyRateLimit, {
    global: true,
    max: limits.perIp.max,
    timeWindow: limits.perIp.windowMs,
    store: class FloodGuard extends MemoryCounters {
      constructor() {
        super(routeCounters);
      }
    },
    errorResponseBuilder: (_request, context) => tooMany(Math.ceil(context.ttl / 1000)),
  });

  const seen = new Set<RouteName>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const tableRoute = tableRouteFor(method, route.url);
      const name = tableRoute && routeLimitFor(tableRoute);
      if (!tableRoute || !name) continue;
      seen.add(tableRoute);
      attach(route, method, name);
    }
  });
  app.addHook('onReady', async () => {
    const missing = Object.values(ROUTE_LIMITS)
      .flatMap((spec) => spec.routes)
      .filter((route) => !seen.has(route));
    if (missing.length > 0) throw new Error(`rate limits name routes that do not exist: ${missing.join(', ')}`);
  });

  function attach(route: RouteOptions, method: string, name: RouteLimitName): void {
    const { scope } = ROUTE_LIMITS[name];
    const check = app.createRateLimit({
      max: limits[name].max,
      timeWindow: limits[name].windowMs,
      keyGenerator: (request) => (scope === 'account' ? `${name}:account:${deviceOf(request).accountId}` : `${name}:ip:${request.ip}`),
    });
    const limit = async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method !== method) return; // one route can serve several methods (tus)
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('Retry-After', result.ttlInSeconds);
      throw tooMany(result.ttlInSeconds);
    };
    // Per account: after the route's own preHandler has resolved the device token.
    const hook = scope === 'account' ? 'preHandler' : 'onRequest';
    const existing = route[hook];
    const handlers = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    route[hook] = [...handlers, limit as onRequestHookHandler];
  }
}

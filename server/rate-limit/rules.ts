import { type HttpMethod, methodsOf, ROUTES, type RouteName } from '../../src/shared/routes';

/** Who a limit counts: the caller's address, or the account behind its device token. */
export type RateLimitScope = 'ip' | 'account';

/** At most `max` requests per `windowMs`, counted per scope. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** The limits Steady applies, by name; each can be set with its environment variable. */
export interface RateLimitConfig {
  /** Every request, per address, counted in this instance's memory: a flood guard. */
  perIp: RateLimit;
  accountCreation: RateLimit;
  deviceJoin: RateLimit;
  pairingCodes: RateLimit;
  syncUploads: RateLimit;
  backupUploads: RateLimit;
  exports: RateLimit;
}

export type RouteLimitName = Exclude<keyof RateLimitConfig, 'perIp'>;

export interface LimitSpec {
  variable: string;
  scope: RateLimitScope;
  fallback: RateLimit;
  /** The requests it counts, by their name in the route table (src/shared/routes.ts): a renamed route fails to compile here. */
  routes: readonly RouteName[];
}

const HOUR = 3_600_000;

/**
 * One table for every route-specific limit. Anonymous routes count per address; routes behind
 * a device token count per account, so adding devices does not multiply an account's quota.
 */
export const ROUTE_LIMITS: Record<RouteLimitName, LimitSpec> = {
  accountCreation: {
    variable: 'RATE_LIMIT_ACCOUNT_CREATION',
    scope: 'ip',
    fallback: { max: 10, windowMs: HOUR },
    routes: ['createAccount'],
  },
  deviceJoin: {
    variable: 'RATE_LIMIT_DEVICE_JOIN',
    scope: 'ip',
    fallback: { max: 20, windowMs: HOUR },
    routes: ['joinDevice'],
  },
  pairingCodes: {
    variable: 'RATE_LIMIT_PAIRING_CODES',
    scope: 'account',
    fallback: { max: 20, windowMs: HOUR },
    routes: ['createPairingCode'],
  },
  syncUploads: {
    variable: 'RATE_LIMIT_SYNC_UPLOADS',
    scope: 'account',
    fallback: { max: 120, windowMs: 60_000 },
    routes: ['uploadBatch'],
  },
  backupUploads: {
    variable: 'RATE_LIMIT_BACKUP_UPLOADS',
    scope: 'account',
    fallback: { max: 24, windowMs: 24 * HOUR },
    routes: ['uploadBackup', 'tusCreate'],
  },
  exports: {
    variable: 'RATE_LIMIT_EXPORTS',
    scope: 'account',
    fallback: { max: 24, windowMs: 24 * HOUR },
    routes: ['storeExport', 'exportBackup'],
  },
};

/** The flood guard's variable and default. */
export const PER_IP_LIMIT = { variable: 'RATE_LIMIT_PER_IP', fallback: { max: 1200, windowMs: 60_000 } };

/** The table's route that Fastify registers as `method url`, if it is one (Fastify's own HEAD beside a GET is not). */
export function tableRouteFor(method: string, url: string): RouteName | null {
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    if (ROUTES[name].path === url && methodsOf(name).includes(method as HttpMethod)) return name;
  }
  return null;
}

/** The named limit that counts a route, if any. */
export function routeLimitFor(route: RouteName): RouteLimitName | null {
  for (const [name, spec] of Object.entries(ROUTE_LIMITS)) if (spec.routes.includes(route)) return name as RouteLimitName;
  return null;
}

import path from 'node:path';
import type { JobTiming } from './jobs/queue';
import { PER_IP_LIMIT, type RateLimit, type RateLimitConfig, ROUTE_LIMITS, type RouteLimitName } from './rate-limit/rules';

/** Server configuration, read once from the environment at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` to use Postgres; null for SQLite in `dataDir`. */
  databaseUrl: string | null;
  /** Postgres schema to use (tests isolate themselves with one); default: the URL's search path. */
  databaseSchema?: string;
  /** Built app to serve; null serves the API only (tests, `npm run dev` behind Vite). */
  staticDir: string | null;
  /** Largest request body the server reads, in bytes. */
  bodyLimit: number;
  /** Largest compressed sync batch, in bytes. */
  syncBodyLimit: number;
  /** Sync records one account may store (SYNC_MAX_RECORDS); past it uploads answer 507 QUOTA_RECORDS. */
  syncMaxRecords: number;
  /** Largest backup archive accepted, in bytes (direct and tus uploads). */
  backupMaxBytes: number;
  /** Unfinished uploads untouched this long, and exports this old, are deleted. */
  backupExpiryMs: number;
  /** How often that cleanup runs. */
  backupCleanupIntervalMs: number;
  /** Live (unrevoked) devices an account may have (MAX_DEVICES_PER_ACCOUNT); a join beyond answers 409 QUOTA_DEVICES. */
  maxDevicesPerAccount: number;
  /** Unused, unexpired pairing codes an account may have at once (MAX_PAIRING_CODES_PER_ACCOUNT). */
  maxPairingCodesPerAccount: number;
  /** Bytes an account's stored uploads may take in all, unfinished tus uploads counted at their length (BACKUP_QUOTA_BYTES). */
  backupQuotaBytes: number;
  /** Uploads kept per account: storing one more removes the oldest (BACKUP_KEEP_COUNT). */
  backupKeepCount: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Proxies in front of the server whose X-Forwarded-For to believe (TRUST_PROXY hops); 0: none. */
  trustProxyHops: number;
  /** On SIGTERM, how long requests in flight may take to finish before they are cut and the process exits 1 (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** Request limits (server/rate-limit/rules.ts). */
  rateLimits: RateLimitConfig;
  /** Web Push (server/push/). */
  push: PushConfig;
  /** The job queue (server/jobs/). */
  jobs: JobTiming;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function databaseUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\//.test(raw))
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL (leave it unset for SQLite in DATA_DIR)');
  return raw;
}

function identifier(name: string, raw: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new ConfigError(name, 'must be a lower-case SQL identifier');
  return raw;
}

/** Reads and validates the environment; throws ConfigError with a message a person can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  const staticDir = env.STATIC_DIR === '' ? null : path.resolve(cwd, env.STATIC_DIR ?? 'dist');
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(cwd, env.DATA_DIR || './data'),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    ...(env.DATABASE_SCHEMA ? { databaseSchema: identifier('DATABASE_SCHEMA', env.DATABASE_SCHEMA) } : {}),
    staticDir,
    bodyLimit: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    syncBodyLimit: integer(env, 'SYNC_BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    // 20 years of minute chunks from one armband (10.5 million) plus room for documents.
    syncMaxRecords: integer(env, 'SYNC_MAX_RECORDS', 11_000_000, 1, Number.MAX_SAFE_INTEGER),
    backupMaxBytes: integer(env, 'BACKUP_MAX_BYTES', 2 * 1024 ** 3, 1024, 1024 ** 4),
    backupExpiryMs: integer(env, 'BACKUP_EXPIRY_SECONDS', 24 * 3600, 1, 365 * 24 * 3600) * 1000,
    backupCleanupIntervalMs: integer(env, 'BACKUP_CLEANUP_INTERVAL_SECONDS', 3600, 1, 24 * 3600) * 1000,
    maxDevicesPerAccount: integer(env, 'MAX_DEVICES_PER_ACCOUNT', 20, 1, 10_000),
    maxPairingCodesPerAccount: integer(env, 'MAX_PAIRING_CODES_PER_ACCOUNT', 5, 1, 100),
    // Five backups of a year of recording (≈200 MB each) fit with room to spare.
    backupQuotaBytes: integer(env, 'BACKUP_QUOTA_BYTES', 4 * 1024 ** 3, 1024, 1024 ** 5),
    backupKeepCount: integer(env, 'BACKUP_KEEP_COUNT', 5, 1, 1000),
    logLevel: logLevel as Config['logLevel'],
    trustProxyHops: integer(env, 'TRUST_PROXY', 0, 0, 10),
    // Above JOB_CLOSE_TIMEOUT_MS's default, so that jobs in flight get their own bound first.
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 0, 3600_000),
    rateLimits: loadRateLimits(env),
    push: pushConfig(env, cwd),
    jobs: {
      pollMs: integer(env, 'JOB_POLL_MS', 1000, 50, 60_000),
      // expire + maintenance + poll: a job held by a killed instance runs again within about a minute.
      expireSeconds: integer(env, 'JOB_EXPIRE_SECONDS', 40, 1, 3600),
      maintenanceSeconds: integer(env, 'JOB_MAINTENANCE_SECONDS', 10, 1, 3600),
      closeTimeoutMs: integer(env, 'JOB_CLOSE_TIMEOUT_MS', 10_000, 0, 120_000),
    },
  };
}

/** `RATE_LIMIT_…=COUNT/SECONDS`, e.g. `10/3600` for ten an hour. */
function rateLimit(env: NodeJS.ProcessEnv, variable: string, fallback: RateLimit): RateLimit {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d{1,9})\/(\d{1,7})$/.exec(raw.trim());
  const max = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || max < 1 || seconds < 1)
    throw new ConfigError(variable, `expected COUNT/SECONDS with both at least 1 (e.g. 10/3600), got ${JSON.stringify(raw)}`);
  return { max, windowMs: seconds * 1000 };
}

function loadRateLimits(env: NodeJS.ProcessEnv): RateLimitConfig {
  const routes = Object.fromEntries(
    Object.entries(ROUTE_LIMITS).map(([name, spec]) => [name, rateLimit(env, spec.variable, spec.fallback)]),
  ) as Record<RouteLimitName, RateLimit>;
  return { perIp: rateLimit(env, PER_IP_LIMIT.variable, PER_IP_LIMIT.fallback), ...routes };
}

/** Web Push settings. Keys and hosts are checked here for form; server/push/ checks the curve. */
export interface PushConfig {
  /** Push-service hosts added to the built-in list (PUSH_ALLOWED_HOSTS), each `host:port`; only these may use a port other than 443. */
  allowedHosts: string[];
  /** VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (base64url); null: generated once and kept in DATA_DIR/vapid.json. */
  vapidKeys: { publicKey: string; privateKey: string } | null;
  /** VAPID_SUBJECT, the `sub` push services contact the operator by. Apple refuses placeholder addresses: set a real one. */
  vapidSubject: string;
  /** Devices unseen this long get a `sync` push (STALE_SYNC_HOURS). */
  staleSyncHours: number;
  /** How often the stale-device check runs (STALE_CHECK_INTERVAL_MS). */
  staleCheckIntervalMs: number;
  /** Quiet time before the `refresh` push after an upload (PUSH_DEBOUNCE_MS). */
  debounceMs: number;
  /** Per request to a push service (PUSH_TIMEOUT_MS). */
  timeoutMs: number;
  /**
   * PUSH_EXTRA_CA_FILE: a PEM CA trusted for push requests in addition to the system store. Tests
   * point it at their local push service; production needs none (NODE_EXTRA_CA_CERTS covers the process).
   */
  extraCaFile: string | null;
}

/** Documented default; push services may refuse an unreachable contact (Apple does), so production sets VAPID_SUBJECT. */
export const DEFAULT_VAPID_SUBJECT = 'mailto:ops@steady.invalid';

const PUSH_HOST = /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

function pushConfig(env: NodeJS.ProcessEnv, cwd: string): PushConfig {
  const allowedHosts = (env.PUSH_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [host = '', port = '443'] = entry.split(':');
      // A name made only of digits and dots is an IPv4 literal in disguise (RFC 3986 §3.2.2): endpoints never use one.
      if (!PUSH_HOST.test(entry) || /^[\d.]+$/.test(host) || Number(port) < 1 || Number(port) > 65535)
        throw new ConfigError(
          'PUSH_ALLOWED_HOSTS',
          `expected comma-separated host or host:port (no IP addresses), got ${JSON.stringify(entry)}`,
        );
      return `${host}:${Number(port)}`;
    });
  const publicKey = env.VAPID_PUBLIC_KEY ?? '';
  const privateKey = env.VAPID_PRIVATE_KEY ?? '';
  if ((publicKey === '') !== (privateKey === ''))
    throw new ConfigError(
      publicKey ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY',
      'set both VAPID keys, or neither to generate them in DATA_DIR',
    );
  if (publicKey && !/^[A-Za-z0-9_-]{87}$/.test(publicKey))
    throw new ConfigError('VAPID_PUBLIC_KEY', 'expected base64url of a 65-byte uncompressed P-256 point (87 characters)');
  if (privateKey && !/^[A-Za-z0-9_-]{43}$/.test(privateKey))
    throw new ConfigError('VAPID_PRIVATE_KEY', 'expected base64url of a 32-byte P-256 private key (43 characters)');
  const vapidSubject = env.VAPID_SUBJECT || DEFAULT_VAPID_SUBJECT;
  // RFC 8292 §2.1: the `sub` claim is a `mailto:` or `https:` URI.
  if (!/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/.test(vapidSubject) && !/^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/.test(vapidSubject))
    throw new ConfigError('VAPID_SUBJECT', `must be a mailto: address or an https: URL, got ${JSON.stringify(vapidSubject)}`);
  return {
    allowedHosts,
    vapidKeys: publicKey ? { publicKey, privateKey } : null,
    vapidSubject,
    staleSyncHours: integer(env, 'STALE_SYNC_HOURS', 20, 1, 24 * 60),
    staleCheckIntervalMs: integer(env, 'STALE_CHECK_INTERVAL_MS', 15 * 60_000, 50, 24 * 3600_000),
    debounceMs: integer(env, 'PUSH_DEBOUNCE_MS', 30_000, 0, 3600_000),
    timeoutMs: integer(env, 'PUSH_TIMEOUT_MS', 10_000, 50, 120_000),
    extraCaFile: env.PUSH_EXTRA_CA_FILE ? path.resolve(cwd, env.PUSH_EXTRA_CA_FILE) : null,
  };
}

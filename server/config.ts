import path from 'node:path';

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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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
    logLevel: logLevel as Config['logLevel'],
  };
}

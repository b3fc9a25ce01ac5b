import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../../server/config';
import { jobsSchemaFor } from '../../server/jobs/pg-boss-queue';
import { type RunningServer, startServer } from '../../server/server';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The configuration it runs with (a CLI or a test can open the same database). */
  config: Config;
  /** Stops the server, keeping DATA_DIR; `start()` again serves the same data. */
  restart(): Promise<TestServer>;
  /** Stops the server and deletes DATA_DIR. */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  /** Serve the built app from here; default: API only. */
  staticDir?: string | null;
  /** Fixed port (browser tests whose origin must survive a restart); default: any free port. */
  port?: number;
  /** Reuse an existing DATA_DIR. */
  dataDir?: string;
  /**
   * Another instance on the same database (SQLite file or Postgres schema) and VAPID keys: its
   * DATA_DIR, and on dispose this one only stops, leaving the data to the first.
   */
  sharedWith?: TestServer;
  env?: Record<string, string>;
  /** The server's clock (pairing codes expire by it); default: the system's. */
  now?: () => Date;
  /**
   * Several instances on one database: Postgres (whichever project runs the test) in this
   * schema, which every server started with the same name shares. `dispose` leaves it; the
   * test drops it with `dropSchema` once all are stopped.
   */
  sharedSchema?: string;
}

/** The machine's Postgres (override with STEADY_TEST_DATABASE_URL). */
export const POSTGRES_URL = process.env.STEADY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Postgres for the `server-postgres` test project (STEADY_TEST_DB=postgres): the machine's
 * server, one fresh schema per test server.
 */
export function postgresEnv(dataDir: string): Record<string, string> {
  if (process.env.STEADY_TEST_DB !== 'postgres') return {};
  const schema = `t_${path
    .basename(dataDir)
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()}`;
  return { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema };
}

/** The test Postgres, for helpers that take it as a function. */
export const testDatabaseUrl = () => POSTGRES_URL;

/**
 * Tests create many accounts and join many devices from 127.0.0.1 against one server; every
 * other limit stays at its production default, so the suite shows the app works within them.
 */
export const TEST_RATE_LIMITS = { RATE_LIMIT_ACCOUNT_CREATION: '100000/3600', RATE_LIMIT_DEVICE_JOIN: '100000/3600' };

/** Starts the real server on 127.0.0.1 with a temporary SQLite database (or Postgres schema). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.sharedWith?.dataDir ?? options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'steady-test-'));
  const config = loadConfig({
    ...(options.sharedSchema ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: options.sharedSchema } : postgresEnv(dataDir)),
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STATIC_DIR: options.staticDir ?? '',
    LOG_LEVEL: 'silent',
    ...TEST_RATE_LIMITS,
    ...options.env,
  });
  const running = await startServer(config, false, { now: options.now }).catch((error: unknown) => {
    if (!options.dataDir && !options.sharedWith) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const port = new URL(running.url).port;
  return {
    ...running,
    dataDir,
    config,
    async restart() {
      await running.close();
      return startTestServer({ ...options, dataDir, port: Number(port) });
    },
    async dispose() {
      await running.close();
      if (options.sharedWith) return;
      if (config.databaseUrl && config.databaseSchema && !options.sharedSchema) await dropSchema(config.databaseUrl, config.databaseSchema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.query(`drop schema if exists "${jobsSchemaFor(schema)}" cascade`);
  await client.end();
}

/** The built app, for servers that serve it. Fails clearly when `npm run build` has not run. */
export function builtAppDir(): string {
  // STEADY_APP_DIR: a private build (vite build --outDir …), safe from a concurrent rebuild of dist/.
  const dist = process.env.STEADY_APP_DIR ?? path.resolve(import.meta.dirname, '../../dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error('dist/ is missing: browser tests run against the built app; run "npm run build" first (npm test does)');
  }
  return dist;
}

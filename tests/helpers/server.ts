import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config';
import { type RunningServer, startServer } from '../../server/server';

export interface TestServer extends RunningServer {
  dataDir: string;
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
  env?: Record<string, string>;
}

/** Starts the real server on 127.0.0.1 with a temporary SQLite database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'steady-test-'));
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STATIC_DIR: options.staticDir ?? '',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const running = await startServer(config, false);
  const port = new URL(running.url).port;
  return {
    ...running,
    dataDir,
    async restart() {
      await running.close();
      return startTestServer({ ...options, dataDir, port: Number(port) });
    },
    async dispose() {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The built app, for servers that serve it. Fails clearly when `npm run build` has not run. */
export function builtAppDir(): string {
  const dist = path.resolve(import.meta.dirname, '../../dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error('dist/ is missing: browser tests run against the built app; run "npm run build" first (npm test does)');
  }
  return dist;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { jobsSchemaFor } from '../../server/jobs/pg-boss-queue';
import { POSTGRES_URL, TEST_RATE_LIMITS } from './server';

const root = path.resolve(import.meta.dirname, '../..');

/** How a server process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcessOptions {
  /** Environment on top of the test defaults (loopback, API only, warn-level log, test rate limits, its own DATA_DIR). */
  env?: Record<string, string>;
  /** Label in failure messages. */
  name?: string;
}

/** Lines of output kept for failure messages. */
const KEPT_LINES = 200;

/**
 * A Steady server in a process of its own, started as an operator starts it
 * (`node --import tsx server/index.ts`, configured by environment): something a test can
 * SIGKILL, SIGTERM and start again on the same port, DATA_DIR and database.
 */
export class ServerProcess {
  readonly url: string;
  /** stdout and stderr, interleaved, the last KEPT_LINES lines. */
  readonly output: string[] = [];
  #child: ChildProcess;
  #exited: Promise<Exit>;
  readonly #listeners = new Set<() => void>();

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    [this.#child, this.#exited] = this.#spawn();
  }

  /** Starts a server on a free port with a fresh DATA_DIR and waits until `/api/health` answers 200. */
  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const server = ServerProcess.spawn(options, await freePort());
    await server.ready();
    return server;
  }

  /** Starts a server without waiting for it (`ready()` waits); for starts that must begin at the same moment. */
  static spawn(options: ServerProcessOptions, port: number): ServerProcess {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-process-'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      STATIC_DIR: '',
      LOG_LEVEL: 'warn',
      ...TEST_RATE_LIMITS,
      ...options.env,
    };
    return new ServerProcess(options.name ?? `server :${port}`, port, dataDir, env);
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Resolves when the current process ends. */
  get exited(): Promise<Exit> {
    return this.#exited;
  }

  /** Waits until `/api/health` answers 200; fails with the process's output if it exits first or takes over `timeoutMs`. */
  async ready(timeoutMs = 30_000): Promise<void> {
    let exit: Exit | null = null;
    void this.#exited.then((e) => {
      exit = e;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exit) throw this.failure(`exited (${describeExit(exit)}) before it was ready`);
      const healthy = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (healthy) return;
      if (Date.now() > deadline) throw this.failure(`not healthy within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once a line of output matches, checked on every line; rejects after `timeoutMs` or if the process ends first. */
  waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.output.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      const timer = setTimeout(() => {
        stop();
        reject(this.failure(`printed nothing matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const line = this.output.find((l) => pattern.test(l));
        if (line) {
          stop();
          resolve(line);
        }
      };
      this.#listeners.add(check);
      void this.#exited.then((exit) => {
        if (!this.#listeners.has(check)) return;
        stop();
        reject(this.failure(`exited (${describeExit(exit)}) before printing ${pattern}`));
      });
    });
  }

  /** Sends a signal and waits for the process to end. */
  async signal(signal: NodeJS.Signals): Promise<Exit> {
    this.#child.kill(signal);
    return this.#exited;
  }

  /** Kills the process as a crash would (SIGKILL): no shutdown code runs. */
  kill(): Promise<Exit> {
    return this.signal('SIGKILL');
  }

  /** Starts the process again on the same port, DATA_DIR and environment (after it ended); waits until healthy. */
  async restart(): Promise<void> {
    await this.#exited;
    [this.#child, this.#exited] = this.#spawn();
    await this.ready();
  }

  /** Kills the process if it still runs and deletes its DATA_DIR. */
  async dispose(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) await this.kill();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** An error naming this server and quoting the end of its output. */
  failure(what: string): Error {
    return new Error(`${this.name} ${what}; its output ends:\n${this.output.slice(-40).join('\n')}`);
  }

  #spawn(): [ChildProcess, Promise<Exit>] {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    const collect = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      this.output.push(...lines);
      this.output.splice(0, Math.max(0, this.output.length - KEPT_LINES));
      for (const listener of [...this.#listeners]) listener();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return [child, exited];
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** A port free on 127.0.0.1 now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resident memory of a process now, in bytes (Linux /proc); 0 once it is gone. */
export function residentBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // The process has ended.
  }
}

/**
 * A fresh, not yet created schema name on the machine's Postgres (`drop()` removes it and the
 * job queue's schema beside it), after checking that Postgres answers: tests that need it fail here, loudly, when it is down (`.ci/run` starts it).
 */
export async function freshPostgresSchema(prefix: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`these tests need Postgres at ${POSTGRES_URL} and it does not answer (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  return {
    url: POSTGRES_URL,
    schema,
    drop: async () => {
      await withPostgres((c) => c.query(`drop schema if exists "${schema}", "${jobsSchemaFor(schema)}" cascade`));
    },
  };
}

/** Runs `work` on a client of its own to the machine's Postgres. */
export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

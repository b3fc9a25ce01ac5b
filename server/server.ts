import type { FastifyInstance } from 'fastify';
import { buildApp, type LoggerOptions } from './app';
import type { Config } from './config';
import { openDatabase } from './db/open';
import { createPush, type PushRuntime } from './push/runtime';

/** A running server and how to stop it cleanly. */
export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  close(): Promise<void>;
}

/** Opens the database, builds the app and listens. Used by `server/index.ts` and by tests (which may pass a clock). */
export async function startServer(
  config: Config,
  logger?: boolean | LoggerOptions,
  options: { now?: () => Date } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config);
  // Push needs the app's logger, so the sync routes reach its triggers through a late-bound hook.
  let push: PushRuntime | undefined;
  const hooks = { onDataUploaded: (accountId: string, deviceId: string) => push?.triggers.onDataUploaded(accountId, deviceId) };
  // A start that fails after the database is open (no index.html, port taken) must close it again.
  const app = await buildApp({ config, database, logger, hooks, now: options.now }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  app.addHook('onClose', async () => database.close());
  // preClose: before the database closes, stop push timers and abort pushes in flight.
  app.addHook('preClose', async () => push?.close());
  await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  // Once listening, so a start that failed leaves no VAPID key file behind.
  try {
    push = createPush({ config, db: database.db, log: app.log.child({ module: 'push' }) });
    push.triggers.startStaleSync();
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}

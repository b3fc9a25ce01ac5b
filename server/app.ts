import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { CleanupResult } from './backups/cleanup';
import type { Config } from './config';
import type { OpenDatabase } from './db/open';
import type { JobQueue } from './jobs/queue';
import { acceptJsonBodies } from './json-body';
import { rateLimits } from './rate-limit/plugin';
import { accountDeletionRoutes } from './routes/account-deletion';
import { accountRoutes } from './routes/accounts';
import { backupRoutes } from './routes/backups';
import { healthRoutes } from './routes/health';
import { pushRoutes } from './routes/push';
import { syncRoutes } from './routes/sync';
import { securityHeaders } from './security-headers';
import { isAppNavigation, staticFiles } from './static-files';

export interface LoggerOptions {
  level: string;
  stream?: { write(line: string): void };
}

export interface AppOptions {
  config: Config;
  database: OpenDatabase;
  /** Pino options, or false for silence (tests); `stream` to read the log (tests). */
  logger?: boolean | LoggerOptions;
  /** The job queue: `/api/health` checks it answers. */
  jobs?: Pick<JobQueue, 'ping'>;
  /** Reactions to what the API did (push triggers), and the backup cleanup for its periodic job. */
  hooks?: {
    onDataUploaded?: (accountId: string, deviceId: string) => Promise<void>;
    onBackupCleanup?: (cleanUp: () => Promise<CleanupResult>) => void;
  };
  /** The clock pairing codes expire by; tests pass one they can move. Default: the system's. */
  now?: () => Date;
}

/** Builds the HTTP app: API under /api, the built PWA everywhere else. No side effects. */
export async function buildApp({ config, database, jobs, logger, hooks, now }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify logs no headers or bodies; redaction keeps it so should a serializer ever add them.
    logger: logger === false ? false : { level: config.logLevel, ...(typeof logger === 'object' ? logger : {}), redact: LOG_REDACT },
    // Behind N proxies, the client's address is the Nth from the right in X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    bodyLimit: config.bodyLimit,
    // ajv: stop at the first problem (collecting every error lets one hostile body cost far more),
    // and never coerce or strip what the client sent.
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
    return503OnClosing: true,
  });
  app.decorateRequest('device', null);
  await securityHeaders(app);
  await rateLimits(app, { limits: config.rateLimits, db: database.db });
  acceptJsonBodies(app);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    const code = error.validation ? 'VALIDATION' : (error.code ?? 'INTERNAL');
    const message =
      statusCode >= 500
        ? 'internal error'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? `content-type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted here; send application/json`
          : error.message;
    reply.code(statusCode).send({ statusCode, code, error: httpReason(statusCode), message });
  });

  await app.register(healthRoutes, { database, jobs });
  await app.register(accountRoutes, { database, config, now });
  await app.register(syncRoutes, {
    database,
    bodyLimit: config.syncBodyLimit,
    maxRecords: config.syncMaxRecords,
    onDataUploaded: hooks?.onDataUploaded,
  });
  await app.register(backupRoutes, { database, config, onCleanupReady: hooks?.onBackupCleanup });
  await app.register(pushRoutes, { database, config });
  await app.register(accountDeletionRoutes, { database, config });

  if (config.staticDir) await staticFiles(app, config.staticDir);

  // The flood guard covers unknown paths too: a scan of made-up URLs is still a flood.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
    if (config.staticDir && request.method === 'GET' && isAppNavigation(request.url, request.headers.accept)) {
      reply.header('Cache-Control', 'no-cache');
      return reply.sendFile('index.html');
    }
    reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: `${request.method} ${request.url} not found` });
  });
  return app;
}

/** Secrets a request can carry: device tokens, and pairing codes in bodies. */
const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'res.headers["set-cookie"]'];

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    410: 'Gone',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return reasons[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

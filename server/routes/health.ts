import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '../../src/shared/api';
import { APP_VERSION } from '../../src/shared/version';
import type { OpenDatabase } from '../db/open';

/** `GET /api/health`: version and whether the database answers. 503 when it does not. */
export async function healthRoutes(app: FastifyInstance, { database }: { database: OpenDatabase }) {
  app.get('/api/health', async (_request, reply): Promise<HealthResponse> => {
    try {
      await database.ping();
      return { status: 'ok', version: APP_VERSION, database: { dialect: database.dialect, ok: true } };
    } catch (error) {
      reply.code(503);
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'degraded', version: APP_VERSION, database: { dialect: database.dialect, ok: false, error: message } };
    }
  });
}

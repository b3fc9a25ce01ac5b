import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '../../src/shared/api';
import type { OpenDatabase } from '../db/open';

/**
 * `GET /api/health`: whether the database answers; 503 when it does not. Anyone may ask, so the
 * answer says nothing else (a database error names its host and user): the cause goes to the log.
 */
export async function healthRoutes(app: FastifyInstance, { database }: { database: OpenDatabase }) {
  app.get('/api/health', async (request, reply): Promise<HealthResponse> => {
    try {
      await database.ping();
      return { status: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database does not answer');
      reply.code(503);
      return { status: 'unavailable' };
    }
  });
}

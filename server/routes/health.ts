import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/open';
import { routeRegistrar } from './route';

/**
 * `GET /api/health`: whether the database answers; 503 when it does not. Anyone may ask, so the
 * answer says nothing else (a database error names its host and user): the cause goes to the log.
 */
export async function healthRoutes(app: FastifyInstance, { database }: { database: OpenDatabase }) {
  const route = routeRegistrar(app);
  route('health', {}, async (request, reply) => {
    try {
      await database.ping();
      return { status: 'ok' } as const;
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database does not answer');
      reply.code(503);
      return { status: 'unavailable' } as const;
    }
  });
}

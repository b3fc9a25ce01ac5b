import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/open';
import type { JobQueue } from '../jobs/queue';
import { routeRegistrar } from './route';

/**
 * `GET /api/health`: whether the database and the job queue answer; 503 when either does not.
 * Anyone may ask, so the answer says nothing else (a database error names its host and user):
 * the cause goes to the log. A load balancer takes an instance out on a 503.
 */
export async function healthRoutes(app: FastifyInstance, { database, jobs }: { database: OpenDatabase; jobs?: Pick<JobQueue, 'ping'> }) {
  const route = routeRegistrar(app);
  route('health', {}, async (request, reply) => {
    try {
      await database.ping();
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database does not answer');
      reply.code(503);
      return { status: 'unavailable' } as const;
    }
    try {
      await jobs?.ping();
    } catch (error) {
      request.log.error({ err: error }, 'health check: the job queue does not answer');
      reply.code(503);
      return { status: 'unavailable' } as const;
    }
    return { status: 'ok' } as const;
  });
}

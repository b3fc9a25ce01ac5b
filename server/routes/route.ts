import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, RouteShorthandOptions } from 'fastify';
import {
  type BodyOf,
  methodsOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  ROUTES,
  type RouteName,
  type RouteSpec,
} from '../../src/shared/routes';

/** A route's request parts as the server sees them: bodies that are not JSON stay `unknown` (a Buffer, or unread). */
export interface RouteGeneric<K extends RouteName> {
  Body: (typeof ROUTES)[K] extends { mediaType: string } ? unknown : BodyOf<K>;
  Params: ParamsOf<K>;
  Querystring: QueryOf<K>;
}

/** Answers the route's JSON type, or sends its own answer (streams, raw bodies, hijacked tus). */
export type RouteHandler<K extends RouteName> = (
  request: FastifyRequest<RouteGeneric<K>>,
  reply: FastifyReply,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that only sets a 204 is an async function returning nothing.
) => Promise<ResponseOf<K> | FastifyReply | undefined | void>;

export interface RouteOptions extends Omit<RouteShorthandOptions, 'schema'> {
  /** Check the device token before the body is validated, so an anonymous caller learns nothing about the rules. */
  authenticateBeforeValidation?: boolean;
}

/**
 * Registers routes from the table (src/shared/routes.ts): method, URL and JSON schemas come from
 * it, and a route marked `auth` gets `authenticate` as its first preHandler, so the table's flag
 * is what guards it (anonymous plugins pass none). The caller adds only hooks and limits.
 */
export function routeRegistrar(app: FastifyInstance, authenticate?: preHandlerAsyncHookHandler) {
  return function route<K extends RouteName>(name: K, options: RouteOptions, handler: RouteHandler<K>): void {
    const spec: RouteSpec = ROUTES[name];
    const { authenticateBeforeValidation, ...fastifyOptions } = options;
    const hook = authenticateBeforeValidation ? 'preValidation' : 'preHandler';
    const existing = fastifyOptions[hook];
    if (spec.auth && !authenticate) throw new Error(`route ${name} needs a device token: pass an authenticator`);
    const guard = spec.auth && authenticate ? [authenticate] : [];
    app.route({
      ...fastifyOptions,
      [hook]: [...guard, ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing])],
      method: [...methodsOf(name)],
      url: spec.path,
      schema: spec.schema,
      handler: handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    });
  };
}

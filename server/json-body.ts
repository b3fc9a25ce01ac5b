import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { ApiError } from './errors';

/**
 * Request bodies: JSON only, parsed with prototype-poisoning protection, and a parse failure
 * names where the JSON broke. Fastify's built-in text/plain parser is removed, so anything
 * but JSON (or a route's own parser) is a 415.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '')
      return done(new ApiError(400, 'EMPTY_JSON_BODY', 'body is empty but content-type is application/json'), undefined);
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      done(new ApiError(400, 'MALFORMED_JSON', `body is not valid JSON: ${reason}`), undefined);
    }
  });
}

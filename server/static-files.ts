import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../src/shared/routes';

/**
 * Serves the built app. Hashed files under /assets/ never change, so they are immutable;
 * the service worker, its registration script and the HTML must be revalidated every time or
 * an update would never be noticed (https://web.dev/articles/service-worker-lifecycle#updates).
 */
export async function staticFiles(app: FastifyInstance, root: string): Promise<void> {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: run "npm run build" first, or set STATIC_DIR= to serve the API only`);
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    cacheControl: false,
    setHeaders(reply, filePath) {
      const relative = path.relative(root, filePath).split(path.sep).join('/');
      if (relative.startsWith('assets/')) {
        reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      } else if (relative.startsWith('icons/')) {
        reply.header('Cache-Control', 'public, max-age=86400');
      } else {
        reply.header('Cache-Control', 'no-cache');
      }
      if (relative === 'manifest.webmanifest') reply.header('Content-Type', 'application/manifest+json');
    },
  });
}

/** Paths the single-page app routes itself; the server answers them with index.html. */
export function isAppNavigation(url: string, accept: string | undefined): boolean {
  return !url.startsWith(API_PREFIX) && (accept ?? '').includes('text/html');
}

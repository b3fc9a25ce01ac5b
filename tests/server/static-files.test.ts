import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../src/shared/api';
import { INDEX, serveFakeBuild } from '../helpers/fake-build';
import { startTestServer, type TestServer } from '../helpers/server';

const IMMUTABLE = 'public, max-age=31536000, immutable';
let server: TestServer;

beforeAll(async () => {
  server = await serveFakeBuild();
});
afterAll(async () => {
  await server.dispose();
});

function get(url: string, accept?: string): Promise<Response> {
  return fetch(`${server.url}${url}`, { headers: accept ? { accept } : {} });
}

describe('static files', () => {
  it.each([['/sw.js'], ['/index.html'], ['/']])('serves %s with Cache-Control: no-cache so updates are noticed', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the service worker as JavaScript with its contents', async () => {
    const response = await get('/sw.js');
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(await response.text()).toContain('addEventListener("fetch"');
  });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await get('/assets/app-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(await response.text()).toBe('console.log("app");');
  });

  it('serves icons with a day of caching', async () => {
    const response = await get('/icons/icon-192.png');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
  });

  it('serves the manifest as application/manifest+json', async () => {
    const response = await get('/manifest.webmanifest');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({ name: 'Steady', start_url: '/' });
  });

  it('answers a navigation to an app route with index.html', async () => {
    const response = await get('/settings', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX);
  });

  it('answers a missing file that is not a navigation with a JSON 404, not the app shell', async () => {
    const response = await get('/assets/app-gone99.js', '*/*');
    expect(response.status).toBe(404);
    expect(((await response.json()) as ApiErrorBody).code).toBe('NOT_FOUND');
  });

  it.each([[undefined], ['text/html']])('answers an unknown API path with a JSON 404 (Accept: %s)', async (accept) => {
    const response = await get('/api/nope', accept);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'GET /api/nope not found' });
  });

  it('still serves the API beside the app', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
  });
});

describe('a static folder without index.html', () => {
  it('fails to start, saying what is missing and what to do, and closes the database it opened', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-static-empty-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-static-data-'));
    try {
      await expect(startTestServer({ staticDir: empty, dataDir })).rejects.toThrow(
        `${empty}/index.html is missing: run "npm run build" first`,
      );
      // SQLite removes the WAL files when the last connection closes; left behind, they show a leaked handle.
      expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('steady.sqlite'))).toEqual(['steady.sqlite']);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

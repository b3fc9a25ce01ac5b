import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFakeBuild } from '../helpers/fake-build';
import type { TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await serveFakeBuild();
});
afterAll(async () => {
  await server.dispose();
});

/** Each directive of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [part.split(/\s+/)[0] ?? '', part.split(/\s+/).slice(1).join(' ')]),
  );
}

describe('security headers', () => {
  it.each([
    ['the app shell', '/', 'text/html'],
    ['a navigation the app routes', '/trends', 'text/html'],
    ['a hashed asset', '/assets/app-abc123.js', '*/*'],
    ['the service worker', '/sw.js', '*/*'],
    ['an API answer', '/api/health', 'application/json'],
    ['an API error', '/api/devices', 'application/json'],
    ['an unknown path', '/api/nothing', 'application/json'],
  ])('are on %s', async (_what, url, accept) => {
    const response = await fetch(`${server.url}${url}`, { headers: { accept } });
    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    // No way around script-src: nothing inline, nothing evaluated.
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const permissions = response.headers.get('permissions-policy') ?? '';
    expect(permissions).toContain('bluetooth=(self)');
    expect(permissions).toContain('camera=()');
  });
});

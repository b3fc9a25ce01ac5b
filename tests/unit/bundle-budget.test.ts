import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { firstScreenScripts, precacheUrls } from '../helpers/built-app';
import { builtAppDir } from '../helpers/server';

/** Gzipped JavaScript the first screen may need: it must start fast on a slow phone. */
const FIRST_SCREEN_BUDGET = 35 * 1024;

describe('the built app', () => {
  const dist = builtAppDir();

  it(`needs at most ${FIRST_SCREEN_BUDGET / 1024} KB of gzipped JavaScript for the first screen`, () => {
    const scripts = firstScreenScripts(dist);
    const sizes = scripts.map((file) => ({ file, gzip: zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length }));
    const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
    const report = sizes.map(({ file, gzip }) => `${file}: ${(gzip / 1024).toFixed(1)} KB`).join(', ');
    expect(scripts.length).toBeGreaterThan(0);
    expect(total, `first-screen JavaScript is ${(total / 1024).toFixed(1)} KB gzipped (${report})`).toBeLessThanOrEqual(
      FIRST_SCREEN_BUDGET,
    );
  });

  it('precaches index.html and every script and stylesheet, and nothing that is not built', () => {
    const urls = precacheUrls(fs.readFileSync(path.join(dist, 'sw.js'), 'utf8'));
    const assets = fs
      .readdirSync(path.join(dist, 'assets'))
      .filter((name) => /\.(js|css)$/.test(name))
      .map((name) => `assets/${name}`);
    expect(assets.length).toBeGreaterThan(0);
    expect(urls).toContain('index.html');
    for (const asset of assets) expect(urls, `${asset} is not precached: the app would break offline`).toContain(asset);
    for (const url of urls) expect(fs.existsSync(path.join(dist, url)), `precache lists ${url}, which the build did not write`).toBe(true);
    expect(urls.filter((url) => url.endsWith('.map'))).toEqual([]);
  });
});

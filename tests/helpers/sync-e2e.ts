import type { Page } from 'playwright-core';
import type { DeviceCredentials } from '../../src/db/schema';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../../src/shared/names';
import { type HeartRateSample, MINUTE_MS, type SampleChunk } from '../../src/shared/samples';
import { waitForCredentials } from './app-db';
import { grantAllPermissions, launchBrowser, registrationIdFor, type TestBrowser, waitForController } from './browser';
import { FaultProxy } from './fault-proxy';
import { builtAppDir, startTestServer, type TestServer } from './server';
import { toChunks } from './sync-client';

/**
 * The built app, served by the real server, behind the fault proxy, in Chromium: the browser
 * only ever talks to the proxy's origin, which stays the same across server restarts.
 */
export interface SyncStack {
  /** The current server (replaced by `restartServer`). */
  readonly server: TestServer;
  proxy: FaultProxy;
  browser: TestBrowser;
  page: Page;
  origin: string;
  credentials: DeviceCredentials;
  registrationId: string;
  /** Stops the server and starts it again on the same port with the same data. */
  restartServer(): Promise<void>;
  /** `ServiceWorker.dispatchSyncEvent` for the app's Background Sync tag. */
  dispatchSync(lastChance?: boolean): Promise<void>;
  /** `ServiceWorker.dispatchPeriodicSyncEvent` for the app's Periodic Background Sync tag. */
  dispatchPeriodicSync(): Promise<void>;
  close(): Promise<void>;
}

/** `env`: the server's configuration beyond the defaults (e.g. a small SYNC_MAX_RECORDS). */
export async function startSyncStack(env: Record<string, string> = {}): Promise<SyncStack> {
  let server = await startTestServer({ staticDir: builtAppDir(), env });
  const proxy = await FaultProxy.start({ target: () => server.url });
  const browser = await launchBrowser();
  const origin = proxy.origin;
  const { page, cdp, browserCdp } = browser;
  const closeAll = async () => {
    await browser.close().catch(() => undefined);
    await proxy.close();
    await server.dispose();
  };
  let credentials: DeviceCredentials;
  let registrationId: string;
  try {
    const registration = registrationIdFor(cdp, origin);
    // Before the app asks for anything: one call, or the ones not listed are reset (browser-testing.md).
    await grantAllPermissions(browserCdp, origin);
    await page.goto(`${origin}/`);
    await waitForController(page);
    credentials = await waitForCredentials(page);
    registrationId = await registration;
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    get server() {
      return server;
    },
    proxy,
    browser,
    page,
    origin,
    credentials,
    registrationId,
    async restartServer() {
      server = await server.restart();
    },
    async dispatchSync(lastChance = false) {
      await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId, tag: SYNC_TAG, lastChance });
    },
    async dispatchPeriodicSync() {
      await cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', { origin, registrationId, tag: PERIODIC_SYNC_TAG });
    },
    close: closeAll,
  };
}

/** `perMinute` samples a minute, evenly spaced, for `minutes` minutes from `start`: few samples, many chunks. */
export function sparseSamples(start: number, minutes: number, perMinute = 4, seed = 1): HeartRateSample[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const step = MINUTE_MS / perMinute;
  const samples: HeartRateSample[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const bpm = 55 + Math.round(random() * 40);
      samples.push({ t: start + m * MINUTE_MS + i * step, bpm, contact: true, intervalsMs: [Math.round(60_000 / bpm)] });
    }
  }
  return samples;
}

/** Samples and their minute chunks, as the recorder would have stored them. */
export function recording(
  start: number,
  minutes: number,
  seed = 1,
  sourceId = 'armband-1',
): { samples: HeartRateSample[]; chunks: SampleChunk[] } {
  const samples = sparseSamples(start, minutes, 4, seed);
  return { samples, chunks: toChunks(samples, sourceId) };
}

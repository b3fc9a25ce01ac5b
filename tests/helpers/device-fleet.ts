import { randomUUID } from 'node:crypto';
import type { PushKeyResponse } from '../../src/shared/api';
import type { SampleChunk } from '../../src/shared/samples';
import type { DocRecord, SyncBatch } from '../../src/shared/sync/batch-codec';
import type { LocalPushService, SimulatedSubscription } from './push-service';
import { createAccount, joinAccount, pull, syntheticSamples, toChunks, uploadBatch } from './sync-client';

/**
 * Many simulated devices talking to several server instances through the app's real HTTP
 * API and batch format, as a fleet of phones behind a load balancer would.
 */

/** One simulated device: its credentials, and the armband source its recordings carry. */
export interface SimulatedDevice {
  accountId: string;
  deviceId: string;
  deviceToken: string;
  /** Distinct per device, so each device's minutes are records of their own. */
  sourceId: string;
  /** Position in the fleet; picks its instances round-robin. */
  index: number;
  subscription?: SimulatedSubscription;
}

/**
 * The instances, tried in turn from a starting one: a request that meets a dead instance (no
 * connection, or a 503 from one closing) is sent again, unchanged, to the next, as a load
 * balancer or the app's retry would. Uploads carry their batch id, so a retry can never double.
 */
export class Instances {
  /** Requests sent again to another instance after a failed attempt. */
  failovers = 0;

  constructor(readonly urls: readonly string[]) {}

  /** Runs `request` against instance `start`, then the next ones, until one answers (up to `rounds` times round the ring). */
  async call<T>(start: number, request: (url: string) => Promise<T>, rounds = 20): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.urls.length * rounds; attempt++) {
      const url = this.urls[(start + attempt) % this.urls.length] ?? '';
      try {
        return await request(url);
      } catch (error) {
        if (!(error instanceof Unavailable) && !(error instanceof TypeError)) throw error; // fetch: TypeError on a connection failure
        lastError = error;
        this.failovers++;
        if ((attempt + 1) % this.urls.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`no instance answered: ${(lastError as Error)?.message}`, { cause: lastError });
  }
}

/** An instance answered 503: try another. */
export class Unavailable extends Error {}

/** `accounts` accounts of `devicesPerAccount` devices each; each device joins through another instance than the one that made its pairing code. */
export async function enrollFleet(instances: Instances, accounts: number, devicesPerAccount: number): Promise<SimulatedDevice[]> {
  const fleet = await Promise.all(
    Array.from({ length: accounts }, async (_, a) => {
      const first = await instances.call(a, (url) => createAccount(url, `device ${a}.0`));
      const devices: SimulatedDevice[] = [{ ...first, sourceId: `strap-${a}-0`, index: a * devicesPerAccount }];
      for (let d = 1; d < devicesPerAccount; d++) {
        const index = a * devicesPerAccount + d;
        const joined = await instances.call(index, (url) => joinAccount(url, first, `device ${a}.${d}`));
        devices.push({ ...joined, sourceId: `strap-${a}-${d}`, index });
      }
      return devices;
    }),
  );
  return fleet.flat();
}

/** Subscribes each device with the push service and registers the subscription through the API. */
export async function subscribeFleet(instances: Instances, fleet: SimulatedDevice[], pushService: LocalPushService): Promise<void> {
  await Promise.all(
    fleet.map((device) =>
      instances.call(device.index + 1, async (url) => {
        const key = await fetch(`${url}/api/push/key`);
        if (key.status !== 200) throw new Unavailable(`push key: ${key.status}`);
        const subscription = device.subscription ?? pushService.subscribe(((await key.json()) as PushKeyResponse).publicKey);
        device.subscription = subscription;
        const put = await fetch(`${url}/api/push/subscription`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(subscription.json),
        });
        if (put.status === 503) throw new Unavailable('push subscription: 503');
        if (put.status !== 201 && put.status !== 200) throw new Error(`push subscription refused: ${put.status} ${await put.text()}`);
      }),
    ),
  );
}

/**
 * A device's recordings as the app uploads them: `batches` batches of `minutesPerBatch` minutes
 * of 1 Hz samples with beat intervals, from `start`, each with a check-in document.
 */
export function recordings(device: SimulatedDevice, start: number, batches: number, minutesPerBatch: number): SyncBatch[] {
  return Array.from({ length: batches }, (_, b) => {
    const from = start + b * minutesPerBatch * 60_000;
    const samples = syntheticSamples(from, minutesPerBatch * 60, device.index * 1000 + b + 1);
    const checkin: DocRecord = {
      kind: 'checkin',
      id: `${device.sourceId}-checkin-${b}`,
      body: { at: new Date(from).toISOString(), energy: (b % 5) + 1, note: `batch ${b}` },
    };
    return { header: {}, chunks: toChunks(samples, device.sourceId), docs: [checkin] };
  });
}

/** Uploads one batch under a batch id of its own, failing over (same id) until an instance stores it; answers the instance's reply. */
export async function uploadWithFailover(instances: Instances, start: number, token: string, batch: SyncBatch, batchId = randomUUID()) {
  return instances.call(start, async (url) => {
    const answer = await uploadBatch(url, token, batch, batchId);
    if (answer.status === 503) throw new Unavailable(`upload: 503 ${JSON.stringify(answer.body)}`);
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`upload refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  });
}

/** Everything the device's pulls bring, page after page until the server says there is no more. */
export async function pullEverything(url: string, token: string): Promise<{ chunks: SampleChunk[]; docs: DocRecord[]; pages: number }> {
  const chunks: SampleChunk[] = [];
  const docs: DocRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await pull(url, token, cursor);
    chunks.push(...page.chunks);
    docs.push(...page.docs);
    cursor = page.header.cursor;
    if (!page.header.more) return { chunks, docs, pages };
  }
}

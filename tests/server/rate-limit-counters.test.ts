import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openSqlite } from '../../server/db/open';
import { DatabaseCounters, MemoryCounters } from '../../server/rate-limit/counters';

let dataDir: string;
let database: OpenDatabase;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-counters-'));
  database = await openSqlite(dataDir);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Store = Pick<DatabaseCounters, 'incr'>;
const count = (store: Store, key: string, windowMs: number) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    store.incr(key, (error, result) => (error || !result ? reject(error) : resolve(result)), windowMs),
  );

describe.each([
  ['in the database', () => (clock: () => number) => new DatabaseCounters(database.db, clock)],
  ['in memory', () => (clock: () => number) => new MemoryCounters(new DatabaseCounters(database.db), 100, clock)],
])('fixed-window counters %s', (where, factory) => {
  it('counts within a window, keys apart, and starts again when the window has passed', async () => {
    let now = 1_000_000;
    const store = factory()(() => now);
    const key = `k-${where}`;
    expect(await count(store, key, 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 10_000;
    expect(await count(store, key, 60_000)).toEqual({ current: 2, ttl: 50_000 });
    expect(await count(store, `${key}-other`, 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 50_000;
    expect(await count(store, key, 60_000)).toEqual({ current: 1, ttl: 60_000 });
  });
});

describe('memory counters', () => {
  it('forget the oldest windows first past their bound', async () => {
    const now = 5_000;
    const store = new MemoryCounters(new DatabaseCounters(database.db), 2, () => now);
    await count(store, 'a', 60_000);
    await count(store, 'a', 60_000);
    await count(store, 'b', 60_000);
    await count(store, 'c', 60_000);
    expect((await count(store, 'a', 60_000)).current).toBe(1);
  });
});

describe('database counters', () => {
  it('delete windows that have ended', async () => {
    let now = 9_000_000;
    const store = new DatabaseCounters(database.db, () => now);
    await count(store, 'old', 1_000);
    now += 120_000;
    await count(store, 'new', 1_000);
    const keys = await database.db.selectFrom('rate_limits').select('key').where('key', 'in', ['old', 'new']).execute();
    expect(keys.map((row) => row.key)).toEqual(['new']);
  });
});

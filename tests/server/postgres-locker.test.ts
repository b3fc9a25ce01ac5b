import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresLocker } from '../../server/backups/postgres-locker';
import { ApiError } from '../../server/errors';
import { eventually } from '../helpers/armband-emulation';
import { testDatabaseUrl } from '../helpers/server';

// Two lockers stand for two server instances (each its own connections); Postgres whichever
// project runs this file. The schema only names the locks, so a random one keeps runs apart.
const schema = `locker_${randomUUID().slice(0, 8)}`;
const lockers: PostgresLocker[] = [];
const instance = (acquireTimeoutMs = 1_000) => {
  const locker = new PostgresLocker({ url: testDatabaseUrl(), schema, acquireTimeoutMs });
  lockers.push(locker);
  return locker;
};

afterEach(async () => {
  for (const locker of lockers.splice(0)) await locker.close();
});

const never = new AbortController().signal;

describe('PostgresLocker (tus locks across instances)', () => {
  it('lets one instance hold an upload; another asks it to let go, and gets 423 while it does not', async () => {
    const [first, second] = [instance(), instance(500)];
    const asked: string[] = [];
    const held = first.newLock('upload-1');
    await held.lock(never, () => {
      asked.push('first');
    });
    const refused = await second
      .newLock('upload-1')
      .lock(never, () => undefined)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ statusCode: 423, code: 'UPLOAD_LOCKED' });
    // The holder heard the request (tus then ends its write and unlocks).
    await eventually(
      async () => asked,
      (list) => list.length > 0,
      2_000,
      'the holder asked to let go',
    );
    // Another upload is not locked by it.
    const other = second.newLock('upload-2');
    await other.lock(never, () => undefined);
    await other.unlock();

    await held.unlock();
    const next = second.newLock('upload-1');
    await next.lock(never, () => undefined);
    await next.unlock();
  });

  it('hands the lock over as soon as the holder answers the request to let go', async () => {
    const [first, second] = [instance(), instance(5_000)];
    const held = first.newLock('upload-3');
    await held.lock(never, () => held.unlock());
    const started = Date.now();
    const taken = second.newLock('upload-3');
    await taken.lock(never, () => undefined);
    expect(Date.now() - started).toBeLessThan(5_000); // taken before the timeout, not by it
    await taken.unlock();
  });

  it('frees the lock of an instance whose connection dies', async () => {
    const [first, second] = [instance(), instance(5_000)];
    let stopped = false;
    await first.newLock('upload-4').lock(never, () => {
      stopped = true;
    });
    // The holder's process dies: Postgres ends its session, and with it the advisory lock.
    await first.pool.query(
      `select pg_terminate_backend(pid) from pg_locks
        where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [`${schema}/upload-4`],
    );
    // The holder, were it still running, is told to stop writing: it has no lock any more.
    await eventually(async () => stopped, Boolean, 2_000, 'the holder told its lock is gone');
    const taken = second.newLock('upload-4');
    await taken.lock(never, () => undefined);
    await taken.unlock();
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { minuteStartOf } from '../../src/shared/samples';
import { putRecording, readAttention, readInflight, readOutbox, readSyncLog, waitForLog } from '../helpers/app-db';
import { recording, type SyncStack, startSyncStack } from '../helpers/sync-e2e';

// The server keeps 20 records an account; the device holds 30 minutes.
const QUOTA = 20;
const MINUTES = 30;

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ SYNC_MAX_RECORDS: String(QUOTA) });
  await waitForLog(stack.page, (e) => e.trigger === 'page');
});
afterAll(async () => {
  await stack?.close();
});

it('a full account: the run stops, the Sync screen says what to do, nothing leaves the outbox', async () => {
  const { page } = stack;
  const start = minuteStartOf(Date.now()) - 2 * 3600_000;
  await putRecording(page, recording(start, MINUTES).chunks);
  await page.goto(`${stack.origin}/sync`);
  const before = (await readSyncLog(page)).length;
  await page.getByRole('button', { name: 'Sync now' }).click();
  await waitForLog(page, (_e, log) => log.some((e) => e.outcome === 'server-full') && log.length > before);

  const notice = page.getByTestId('server-full');
  await notice.waitFor({ state: 'visible', timeout: 20_000 });
  expect(await notice.textContent()).toMatch(/Nothing is lost.*export your data and delete what you no longer need/s);
  expect(await notice.textContent()).toMatch(new RegExp(`the server keeps at most ${QUOTA} per account`));
  expect(await page.getByText('Server full: uploads stopped').first().isVisible()).toBe(true);
  // Everything still on the device: queued, the refused batch in flight, nothing parked as "needs attention".
  expect((await readOutbox(page)).length).toBe(MINUTES);
  expect(await readInflight(page)).not.toBeNull();
  expect(await readAttention(page)).toEqual([]);
});

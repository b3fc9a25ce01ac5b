// A process that takes `refresh` jobs and never finishes them, to be killed with SIGKILL while it
// holds one (tests/server/push-jobs.test.ts). Configured by the environment, like the server.
// Prints TAKEN <accountId> when it holds a job.
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { openJobQueue } from '../../server/jobs/open-queue';
import type { JobHandlers } from '../../server/jobs/queue';

const config = loadConfig(process.env);
const database = await openDatabase(config);
const queue = await openJobQueue(config, database, { info() {}, error: (details, message) => console.error(message, details) });
const hold = (data: { accountId: string }) =>
  new Promise<void>(() => {
    console.log(`TAKEN ${data.accountId}`);
  });
await queue.work({ refresh: hold } as unknown as JobHandlers, ['refresh']);
console.log('READY');

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fanOut, type QueuedPush } from '../jobs/fan-out-job';
import type { JobQueue } from '../jobs/queue';
import { writeServerDoc } from '../sync/server-docs';
import type { PushReport, PushService } from './service';

/** Longest message text accepted. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Why a message could not be posted: `code` is `EMPTY_MESSAGE`, `MESSAGE_TOO_LONG` or `UNKNOWN_ACCOUNT`. */
export class PostMessageError extends Error {
  constructor(
    readonly code: 'EMPTY_MESSAGE' | 'MESSAGE_TOO_LONG' | 'UNKNOWN_ACCOUNT',
    message: string,
  ) {
    super(message);
    this.name = 'PostMessageError';
  }
}

/**
 * Posts a message from the service to an account: stored in `messages`, written as a `message`
 * sync document (so every device pulls the text through sync, never through the push service),
 * then a `message` tickle to the account's devices, queued as fan-out jobs. A dry run stores
 * nothing and counts the targets. No HTTP route calls this: operators use the CLI.
 */
export async function postMessage(
  db: Kysely<Database>,
  push: PushService,
  queue: Pick<JobQueue, 'sendMany'>,
  accountId: string,
  text: string,
  options: { dryRun?: boolean } = {},
): Promise<{ messageId: null; report: PushReport } | { messageId: string; queued: QueuedPush }> {
  const body = text.trim();
  if (body === '') throw new PostMessageError('EMPTY_MESSAGE', 'the message is empty');
  if (body.length > MAX_MESSAGE_LENGTH)
    throw new PostMessageError('MESSAGE_TOO_LONG', `the message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  const account = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  if (!account) throw new PostMessageError('UNKNOWN_ACCOUNT', `no account ${accountId}`);
  if (options.dryRun) return { messageId: null, report: await push.send({ accountId }, 'message', { dryRun: true }) };

  const id = randomUUID();
  const createdAt = new Date().toISOString();
  await db.insertInto('messages').values({ id, account_id: accountId, text: body, created_at: createdAt, read_at: null }).execute();
  await writeServerDoc(db, accountId, 'message', id, { text: body, from: 'Steady', createdAt });
  return { messageId: id, queued: await fanOut(push, queue, { accountId }, 'message') };
}

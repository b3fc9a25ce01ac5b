import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * How many sync records each account stores, for the record quota. Counted once per account
 * (the first upload after start) and then kept up to date by uploads, so a big account costs
 * one count, not one per upload. Uploads of an account are serialised by its row lock
 * (ingest.ts), so the count read inside that transaction is the current one. Records the
 * server writes itself (messages, a handful) are not added: the count errs low by those.
 */
export class RecordCounts {
  private readonly counts = new Map<string, number>();
  /** Accounts remembered at most; past it the map starts afresh (each account is counted again once), so memory stays flat. */
  private readonly maxAccounts: number;

  constructor(maxAccounts = 100_000) {
    this.maxAccounts = maxAccounts;
  }

  async current(trx: Kysely<Database>, accountId: string): Promise<number> {
    const known = this.counts.get(accountId);
    if (known !== undefined) return known;
    const row = await trx
      .selectFrom('sync_records')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    const count = Number(row.n);
    if (this.counts.size >= this.maxAccounts) this.counts.clear();
    this.counts.set(accountId, count);
    return count;
  }

  add(accountId: string, records: number): void {
    const known = this.counts.get(accountId);
    if (known !== undefined) this.counts.set(accountId, known + records);
  }

  /** After a failed upload: the next one counts again. */
  forget(accountId: string): void {
    this.counts.delete(accountId);
  }
}

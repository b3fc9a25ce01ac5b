import type { Insertable, Kysely } from 'kysely';
import type { Database, PushSendsTable } from '../db/schema';

/** Rows per INSERT: 10 columns each stays far below SQLite's variable limit. */
const ROWS_PER_INSERT = 100;

/**
 * Records push outcomes in `push_sends`, one INSERT for whatever finished since the last write
 * rather than one per push: a burst to 10,000 devices would otherwise spend more time compiling
 * and running single-row statements than sending.
 */
export class SendLog {
  #pending: Insertable<PushSendsTable>[] = [];
  #writing: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(row: Insertable<PushSendsTable>): void {
    this.#pending.push(row);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the current turn of the event loop, so rows finishing together share a statement.
    setImmediate(() => {
      this.#scheduled = false;
      this.#queueWrite();
    });
  }

  /** Writes everything added so far. */
  flush(): Promise<void> {
    this.#queueWrite();
    return this.#writing;
  }

  #queueWrite(): void {
    this.#writing = this.#writing.then(() => this.#write()).catch(this.onError);
  }

  async #write(): Promise<void> {
    const rows = this.#pending.splice(0);
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await this.db
        .insertInto('push_sends')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
    }
  }
}

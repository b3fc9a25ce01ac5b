import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestServer } from './server';

/**
 * Where a test server keeps backup bytes, looked at from outside, on either database: files in
 * DATA_DIR/backups on SQLite, `backup_parts` and `backup_staging` on Postgres
 * (server/backups/archive-store.ts). Names read as the disk's do: `<backup id>.gz` for a stored
 * archive, `<id>.partial` for one still arriving outside tus.
 */
export interface BackupStorage {
  /** The bytes stored for backup `id`, or undefined. */
  archive(accountId: string, id: string): Promise<Buffer | undefined>;
  /** What the account's folder holds: stored archives and cut direct uploads. */
  accountFiles(accountId: string): Promise<string[]>;
  /** Ids of the tus uploads (finished or not) kept for the account, or for everyone. */
  tusUploads(accountId?: string): Promise<string[]>;
  /** Leaves what a direct upload cut off by a crash leaves. */
  plantPartial(accountId: string): Promise<void>;
  /** Makes every write of upload bytes fail, until the returned function puts things back. */
  breakUploads(): Promise<() => Promise<void>>;
}

export function backupStorage(server: TestServer): BackupStorage {
  const { databaseUrl, databaseSchema } = server.config;
  return databaseUrl ? postgresStorage(databaseUrl, databaseSchema ?? 'public') : diskStorage(path.join(server.dataDir, 'backups'));
}

function diskStorage(root: string): BackupStorage {
  const uploads = path.join(root, 'uploads');
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  return {
    async archive(accountId, id) {
      const file = path.join(root, accountId, `${id}.gz`);
      return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    },
    async accountFiles(accountId) {
      return list(path.join(root, accountId));
    },
    async tusUploads(accountId) {
      return list(uploads)
        .filter((name) => name.endsWith('.json'))
        .filter(
          (name) =>
            accountId === undefined ||
            (JSON.parse(fs.readFileSync(path.join(uploads, name), 'utf8')) as { metadata?: { accountId?: string } }).metadata?.accountId ===
              accountId,
        )
        .map((name) => name.slice(0, -'.json'.length));
    },
    async plantPartial(accountId) {
      fs.mkdirSync(path.join(root, accountId), { recursive: true });
      fs.writeFileSync(path.join(root, accountId, 'crashed.partial'), 'x');
    },
    async breakUploads() {
      const aside = `${uploads}.aside`;
      fs.renameSync(uploads, aside);
      fs.writeFileSync(uploads, 'not a directory'); // every write under it fails with ENOTDIR
      return async () => {
        fs.rmSync(uploads);
        fs.renameSync(aside, uploads);
      };
    },
  };
}

function postgresStorage(url: string, schema: string): BackupStorage {
  const query = async <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    async archive(accountId, id) {
      const parts = await query<{ start: string; bytes: Buffer }>(
        'select start, bytes from backup_parts where account_id = $1 and backup_id = $2 order by start',
        [accountId, id],
      );
      return parts.length > 0 ? Buffer.concat(parts.map((part) => part.bytes)) : undefined;
    },
    async accountFiles(accountId) {
      const stored = await query<{ id: string }>('select distinct backup_id as id from backup_parts where account_id = $1', [accountId]);
      const partial = await query<{ id: string }>("select id from backup_staging where account_id = $1 and kind <> 'tus'", [accountId]);
      return [...stored.map((row) => `${row.id}.gz`), ...partial.map((row) => `${row.id}.partial`)];
    },
    async tusUploads(accountId) {
      const rows = await query<{ id: string }>(
        "select id from backup_staging where kind = 'tus' and ($1::text is null or account_id = $1)",
        [accountId ?? null],
      );
      return rows.map((row) => row.id);
    },
    async plantPartial(accountId) {
      const now = new Date().toISOString();
      await query(
        "insert into backup_staging (id, account_id, kind, received, created_at, updated_at) values ('crashed', $1, 'direct', 1, $2, $2)",
        [accountId, now],
      );
      await query("insert into backup_staging_parts (staging_id, account_id, start, bytes) values ('crashed', $1, 0, 'x')", [accountId]);
    },
    async breakUploads() {
      await query(`create or replace function refuse_staging() returns trigger language plpgsql as $$
        begin raise exception 'staging writes refused by the test'; end $$`);
      await query('create trigger refuse_staging before insert or update on backup_staging for each row execute function refuse_staging()');
      return async () => {
        await query('drop trigger refuse_staging on backup_staging');
      };
    },
  };
}

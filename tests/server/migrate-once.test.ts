import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../server/db/migrations';
import { type Exit, freePort, freshPostgresSchema, ServerProcess, withPostgres } from '../helpers/server-process';

// Needs the machine's Postgres whatever the project: freshPostgresSchema fails loudly when it is down.
const started: ServerProcess[] = [];
const dropped: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.dispose()));
  for (const drop of dropped.splice(0)) await drop();
});

/**
 * Backends of one application name (PGAPPNAME) waiting on a lock: a relation's or an advisory
 * one. Asked on a connection of its own: within a transaction, pg_stat_activity is a snapshot.
 */
function waitingOnLocks(applicationName: string): Promise<number> {
  return withPostgres(async (client) => {
    const result = await client.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`,
      [applicationName],
    );
    return Number(result.rows[0]?.n ?? 0);
  });
}

describe('instances starting together on an empty database', () => {
  it('all come up, and each migration ran once', { timeout: 90_000 }, async () => {
    const { url, schema, drop } = await freshPostgresSchema('t_migrate');
    dropped.push(drop);
    const applicationName = `steady_migrate_${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: url, DATABASE_SCHEMA: schema, PGAPPNAME: applicationName };
    const ports = await Promise.all([freePort(), freePort()]);

    const exits: Array<Exit | null> = [null, null];
    let servers: ServerProcess[] = [];
    await withPostgres(async (gate) => {
      // The gate: while this transaction holds pg_namespace, no schema can be created, so both
      // instances reach the empty database and wait there, however far apart their processes
      // started; letting go starts them at the same moment.
      await gate.query('begin');
      await gate.query('lock table pg_catalog.pg_namespace in share mode');
      servers = ports.map((port, i) => ServerProcess.spawn({ env, name: `instance ${i + 1}` }, port));
      started.push(...servers);
      servers.forEach((server, i) => {
        void server.exited.then((exit) => {
          exits[i] = exit;
        });
      });
      const deadline = Date.now() + 30_000;
      while ((await waitingOnLocks(applicationName)) < 2) {
        if (exits.some((exit) => exit !== null)) throw new Error('an instance ended at the gate');
        if (Date.now() > deadline) throw servers[0]?.failure('and its twin did not both reach the database within 30 s') ?? new Error();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await gate.query('commit');
    });

    await Promise.all(servers.map((server) => server.ready()));
    expect(exits).toEqual([null, null]);
    const rows = await withPostgres(async (client) => {
      const result = await client.query<{ name: string }>(`select name from "${schema}".kysely_migration order by name`);
      return result.rows.map((row) => row.name);
    });
    expect(rows).toEqual(Object.keys(migrations).sort());
    for (const server of servers) expect(server.output.join('\n')).not.toMatch(/"level":[56]0/);
  });
});

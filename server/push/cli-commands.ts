import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { waitForFanOut } from '../jobs/fan-out-job';
import { jobHandlers } from '../jobs/handlers';
import { openJobQueue } from '../jobs/open-queue';
import { PostMessageError } from './post-message';
import { createPush } from './runtime';
import type { PushLog } from './sender';
import type { PushAudience, PushReport } from './service';

export const USAGE = `Usage:
  npm run steady -- push (--device <id> | --account <id> | --all) --type sync|refresh [--dry-run]
  npm run steady -- message --account <id> "text" [--dry-run]

Runs against the server's DATA_DIR / DATABASE_URL (same environment as the server).
The push goes through the job queue (servers running beside help send it); waits for every
device's outcome and prints how many pushes were sent, failed, are being retried, and how
many subscriptions were removed.`;

/** How long the CLI waits for a fanned-out push's outcomes. */
const FAN_OUT_WAIT_MS = 120_000;

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Operator commands for push; answers the process exit code (0 ok, 1 some push failed or not found, 2 usage). */
export async function runPushCli(argv: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`steady: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const database = await openDatabase(config);
  const log: PushLog = {
    info: () => {},
    warn: (details, message) => io.err(`warning: ${message} ${JSON.stringify(details)}`),
    error: (details, message) => io.err(`error: ${message} ${JSON.stringify(details)}`),
  };
  const queue = await openJobQueue(config, database, log);
  const push = createPush({ config, db: database.db, log, queue });
  // This process sends its own fan-out slices (with any server's help); retries wait for a server.
  const handlers = jobHandlers({
    db: database.db,
    queue,
    push: push.service,
    staleSyncHours: config.push.staleSyncHours,
    backupCleanup: () => undefined,
    log,
  });
  await queue.work(handlers, ['fan-out']);
  try {
    const { db } = database;
    const dryRun = parsed.dryRun;
    if (parsed.command === 'message') {
      const posted = await push.triggers.postMessage(parsed.accountId, parsed.text, { dryRun });
      if (posted.messageId === null) {
        io.out('dry run: message not stored');
        return print(io, posted.report, true);
      }
      io.out(`message ${posted.messageId} stored`);
      return print(io, await waitForFanOut(db, posted.queued, FAN_OUT_WAIT_MS), false);
    }
    const { audience } = parsed;
    if ('deviceIds' in audience) {
      const device = await db
        .selectFrom('devices')
        .select('id')
        .where('id', '=', audience.deviceIds[0] ?? '')
        .executeTakeFirst();
      if (!device) return notFound(io, `no device ${audience.deviceIds[0]}`);
    } else if ('accountId' in audience) {
      const account = await db.selectFrom('accounts').select('id').where('id', '=', audience.accountId).executeTakeFirst();
      if (!account) return notFound(io, `no account ${audience.accountId}`);
    }
    const pushed = await push.triggers.pushTo(audience, parsed.type, { dryRun });
    return print(io, 'tickleId' in pushed ? await waitForFanOut(db, pushed, FAN_OUT_WAIT_MS) : pushed, dryRun);
  } catch (error) {
    if (error instanceof PostMessageError) return notFound(io, error.message);
    throw error;
  } finally {
    await queue.close();
    push.close();
    await database.close();
  }
}

function print(io: Output, report: PushReport, dryRun: boolean): number {
  if (dryRun) {
    io.out(
      `dry run: would push to ${report.targets - report.skipped} subscribed devices (${report.skipped} under an old VAPID key skipped)`,
    );
    io.out('sent 0, failed 0, removed 0');
    return 0;
  }
  io.out(`subscribed devices: ${report.targets}`);
  io.out(
    `sent ${report.sent}, failed ${report.failed}, removed ${report.removed}${report.retrying ? `, retrying ${report.retrying}` : ''}${report.skipped ? `, skipped ${report.skipped} (old VAPID key)` : ''}`,
  );
  return report.failed > 0 ? 1 : 0;
}

function notFound(io: Output, message: string): number {
  io.err(`steady: ${message}`);
  return 1;
}

type Command =
  | { command: 'push'; audience: PushAudience; type: 'sync' | 'refresh'; dryRun: boolean }
  | { command: 'message'; accountId: string; text: string; dryRun: boolean };

function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      device: { type: 'string' },
      account: { type: 'string' },
      all: { type: 'boolean', default: false },
      type: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const dryRun = values['dry-run'] ?? false;
  if (command === 'message') {
    if (!values.account) throw new Error('message needs --account <id>');
    if (rest.length !== 1 || !rest[0]) throw new Error('message needs the text as one quoted argument');
    return { command, accountId: values.account, text: rest[0], dryRun };
  }
  if (command !== 'push') throw new Error(command ? `unknown command ${JSON.stringify(command)}` : 'missing command');
  if (rest.length > 0) throw new Error(`unexpected ${JSON.stringify(rest[0])}`);
  if (values.type !== 'sync' && values.type !== 'refresh') throw new Error('push needs --type sync or --type refresh');
  const chosen = [values.device, values.account, values.all || undefined].filter((v) => v !== undefined);
  if (chosen.length !== 1) throw new Error('push needs exactly one of --device <id>, --account <id>, --all');
  const audience: PushAudience = values.device
    ? { deviceIds: [values.device] }
    : values.account
      ? { accountId: values.account }
      : { all: true };
  return { command, audience, type: values.type, dryRun };
}

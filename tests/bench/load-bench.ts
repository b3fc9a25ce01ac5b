/**
 * Load: simulated devices, each with its own token, upload a day of recordings in the app's
 * batch format (an hour a batch, with a check-in each) and pull what the other device of their
 * account sent, against one instance on SQLite, one on Postgres and three on Postgres
 * (round-robin), side by side. Then a push fan-out to 100,000 subscriptions through the job
 * queue, worked by three instances, to a local push service: sends per second and duplicates.
 *
 *   npm run bench -- load [--devices 24] [--per-account 2] [--hours 24] [--batch-minutes 60] [--fan-out 100000]
 *
 * Not a test: it prints tables. Each instance is a process of its own (tests/helpers/server-
 * process.ts) whose resident memory is read from /proc. All devices come from 127.0.0.1, so
 * the per-address flood guard is raised; every other limit is the production default.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import webpush from 'web-push';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { enqueueFanOut } from '../../server/jobs/fan-out-job';
import { openJobQueue } from '../../server/jobs/open-queue';
import { loadVapidKeys } from '../../server/push/vapid-keys';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { encodeBatch } from '../../src/shared/sync/batch-codec';
import { SYNC_MEDIA_TYPE } from '../../src/shared/sync/protocol';
import { enrollFleet, Instances, pullEverything, recordings, type SimulatedDevice, subscribeFleet } from '../helpers/device-fleet';
import { insertSubscribedDevices } from '../helpers/push-rows';
import { LocalPushService } from '../helpers/push-service';
import { POSTGRES_URL } from '../helpers/server';
import { freshPostgresSchema, residentBytes, ServerProcess } from '../helpers/server-process';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '24' },
    'per-account': { type: 'string', default: '2' },
    hours: { type: 'string', default: '24' },
    'batch-minutes': { type: 'string', default: '60' },
    'fan-out': { type: 'string', default: '100000' },
  },
});
const DEVICES = Number(args.devices);
const PER_ACCOUNT = Number(args['per-account']);
const HOURS = Number(args.hours);
const BATCH_MINUTES = Number(args['batch-minutes']);
const FAN_OUT = Number(args['fan-out']);
const DEBOUNCE_MS = 2000;
const START = Date.UTC(2026, 10, 2, 0);

const vapid = webpush.generateVAPIDKeys();
// verify: false — the service answers 201 without checking JWTs or decrypting: the figures are the servers'.
const pushService = await LocalPushService.start({ verify: false });
const baseEnv = {
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  PUSH_ALLOWED_HOSTS: pushService.host,
  PUSH_EXTRA_CA_FILE: pushService.caFile,
  PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS),
  JOB_POLL_MS: '500',
  RATE_LIMIT_PER_IP: '1000000/60',
};

interface Row {
  label: string;
  requests: number;
  seconds: number;
  samples: number;
  latencies: number[];
  errors: number;
  busy: number;
  peakRss: number[];
  refreshes: number;
  devices: number;
}

/** Peak resident memory of each process, read every 100 ms until `stop()`. */
function sampleMemory(servers: ServerProcess[]) {
  const peaks = servers.map(() => 0);
  const timer = setInterval(() => {
    servers.forEach((server, i) => {
      peaks[i] = Math.max(peaks[i] ?? 0, residentBytes(server.pid));
    });
  }, 100);
  return { peaks, stop: () => clearInterval(timer) };
}

async function startInstances(
  count: number,
  postgres: boolean,
): Promise<{ servers: ServerProcess[]; schema?: string; drop(): Promise<void> }> {
  const database = postgres ? await freshPostgresSchema('bench_load') : null;
  const env = { ...baseEnv, ...(database ? { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema } : {}) };
  const servers = await Promise.all(Array.from({ length: count }, (_, i) => ServerProcess.start({ env, name: `instance ${i + 1}` })));
  return { servers, schema: database?.schema, drop: async () => database?.drop() };
}

/** The load: every device uploads its day, batch after batch, each to the next instance in turn, then pulls everything. */
async function runLoad(label: string, servers: ServerProcess[]): Promise<Row> {
  const instances = new Instances(servers.map((server) => server.url));
  const fleet = await enrollFleet(instances, DEVICES / PER_ACCOUNT, PER_ACCOUNT);
  await subscribeFleet(instances, fleet, pushService);
  // Encoded before the clock starts: the client's own work is not the servers'.
  const batchesPerDevice = (HOURS * 60) / BATCH_MINUTES;
  const bodies = new Map<SimulatedDevice, Uint8Array<ArrayBuffer>[]>(
    fleet.map((device) => [
      device,
      recordings(device, START, batchesPerDevice, BATCH_MINUTES).map((batch) => new Uint8Array(zlib.gzipSync(encodeBatch(batch)))),
    ]),
  );
  const pushesBefore = pushService.requests.length;
  const memory = sampleMemory(servers);
  const latencies: number[] = [];
  let errors = 0;
  let busy = 0;
  /**
   * One request as the app makes it: timed; a 503 BUSY or 429 is waited out (Retry-After) and
   * sent again unchanged (an upload keeps its batch id); any other failure is an error.
   */
  const asTheAppWould = async (send: () => Promise<{ status: number; retryAfter: number }>, expected: number) => {
    for (;;) {
      const started = performance.now();
      const answer = await send().catch(() => ({ status: 0, retryAfter: 0 }));
      latencies.push(performance.now() - started);
      if (answer.status !== 503 && answer.status !== 429) {
        if (answer.status !== expected) errors++;
        return;
      }
      busy++;
      await new Promise((resolve) => setTimeout(resolve, answer.retryAfter * 1000));
    }
  };
  const started = performance.now();
  await Promise.all(
    fleet.map(async (device) => {
      for (const [b, raw] of (bodies.get(device) ?? []).entries()) {
        const url = instances.urls[(device.index + b) % servers.length] ?? '';
        const batchId = randomUUID();
        await asTheAppWould(async () => {
          const response = await fetch(`${url}/api/sync/batches/${batchId}`, {
            method: 'PUT',
            headers: { 'content-type': SYNC_MEDIA_TYPE, authorization: `Bearer ${device.deviceToken}` },
            body: raw,
          });
          await response.arrayBuffer();
          return { status: response.status, retryAfter: Number(response.headers.get('retry-after') ?? 1) };
        }, 201);
      }
    }),
  );
  const expectedChunks = (PER_ACCOUNT - 1) * HOURS * 60;
  await Promise.all(
    fleet.map((device) =>
      asTheAppWould(async () => {
        try {
          const pulled = await pullEverything(instances.urls[(device.index + 1) % servers.length] ?? '', device.deviceToken);
          return { status: pulled.chunks.length === expectedChunks ? 200 : 0, retryAfter: 0 };
        } catch (error) {
          // pull() throws "pull failed: STATUS …" on any answer but 200.
          const status = Number(/pull failed: (\d+)/.exec((error as Error).message)?.[1] ?? 0);
          return { status, retryAfter: 5 };
        }
      }, 200),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  // Refresh pushes: one per device per PUSH_DEBOUNCE_MS window in which its account uploaded, sent by whichever instance runs the job.
  const refreshes = () =>
    pushService.requests.slice(pushesBefore).filter((r) => r.status === 201 && fleet.some((d) => d.subscription?.endpoint === r.endpoint))
      .length;
  await pushService.waitFor(() => refreshes() >= fleet.length, DEBOUNCE_MS + 30_000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
  memory.stop();
  return {
    label,
    requests: latencies.length,
    seconds,
    samples: fleet.length * HOURS * 3600,
    latencies: latencies.sort((a, b) => a - b),
    errors,
    busy,
    peakRss: memory.peaks,
    refreshes: refreshes(),
    devices: fleet.length,
  };
}

/** A push to FAN_OUT subscriptions queued as fan-out jobs, worked by the instances: sends/s and endpoints reached twice. */
async function runFanOut(servers: ServerProcess[], schema: string): Promise<string[][]> {
  const config = loadConfig({ ...baseEnv, DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, DATA_DIR: os.tmpdir() });
  const database = await openDatabase(config);
  const keys = loadVapidKeys(config.dataDir, config.push);
  const subscriptions = Array.from({ length: FAN_OUT }, () => pushService.subscribe(keys.publicKey).json);
  const accountId = randomUUID();
  await database.db
    .insertInto('accounts')
    .values({ id: accountId, sync_code_hash: `retired:${accountId}`, created_at: new Date().toISOString() })
    .execute();
  const deviceIds = await insertSubscribedDevices(database.db, accountId, subscriptions, keys.keyId);
  const queue = await openJobQueue(config, database, { info() {}, error: (details, message) => console.error(message, details) });
  const endpoints = new Set(subscriptions.map((s) => s.endpoint));
  const before = pushService.requests.length;
  const memory = sampleMemory(servers);
  const started = performance.now();
  const { slices } = await enqueueFanOut(queue, deviceIds, 'sync');
  const received = () => pushService.requests.slice(before).filter((r) => endpoints.has(r.endpoint));
  // Checked on every request, so it only counts; the endpoints are checked once it is over.
  await pushService.waitFor(() => pushService.requests.length - before >= FAN_OUT, 600_000);
  const seconds = (performance.now() - started) / 1000;
  // Late doubles would arrive now: a slice run twice, a retry of a push that had gone through.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  memory.stop();
  const perEndpoint = new Map<string, number>();
  for (const request of received()) perEndpoint.set(request.endpoint, (perEndpoint.get(request.endpoint) ?? 0) + 1);
  const duplicates = [...perEndpoint.values()].reduce((n, count) => n + count - 1, 0);
  const sync = received().filter((r) => parsePushTickle(r.payload)?.type === 'sync' || r.payload === null).length;
  await queue.close();
  await database.close();
  return [
    ['', 'measured'],
    ['subscriptions', fmt(FAN_OUT)],
    ['fan-out jobs', `${fmt(slices)} slices`],
    ['pushes received', `${fmt(perEndpoint.size)} endpoints, ${fmt(sync)} requests`],
    ['sends/s (queue to last receipt)', `${fmt(FAN_OUT / seconds)} /s (${seconds.toFixed(1)} s)`],
    ['duplicates', String(duplicates)],
    ['peak RSS per instance', memory.peaks.map(mb).join(' / ')],
  ];
}

const rows: Row[] = [];
let fanOutRows: string[][] = [];
for (const [label, count, postgres] of [
  ['1 instance, SQLite', 1, false],
  ['1 instance, Postgres', 1, true],
  ['3 instances, Postgres', 3, true],
] as const) {
  const { servers, schema, drop } = await startInstances(count, postgres);
  try {
    rows.push(await runLoad(label, servers));
    if (count === 3 && schema && FAN_OUT > 0) fanOutRows = await runFanOut(servers, schema);
  } finally {
    await Promise.all(servers.map((server) => server.signal('SIGTERM')));
    await Promise.all(servers.map((server) => server.dispose()));
    await drop();
  }
}
await pushService.close();

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const table: string[][] = [
  ['', ...rows.map((r) => r.label)],
  ['requests (uploads + pulls)', ...rows.map((r) => fmt(r.requests))],
  ['requests/s', ...rows.map((r) => fmt(r.requests / r.seconds))],
  ['samples stored/s', ...rows.map((r) => fmt(r.samples / r.seconds))],
  ['latency p50', ...rows.map((r) => ms(pct(r.latencies, 50)))],
  ['latency p95', ...rows.map((r) => ms(pct(r.latencies, 95)))],
  ['latency p99', ...rows.map((r) => ms(pct(r.latencies, 99)))],
  ['errors', ...rows.map((r) => String(r.errors))],
  ['503 BUSY / 429 waited out and retried', ...rows.map((r) => String(r.busy))],
  ['peak RSS per instance', ...rows.map((r) => r.peakRss.map(mb).join(' / '))],
  ['refresh pushes sent by jobs (devices)', ...rows.map((r) => `${r.refreshes} (${r.devices})`)],
];
const load = os.loadavg()[0]?.toFixed(1);
console.log(
  `\nLoad bench: ${DEVICES} devices (${PER_ACCOUNT} per account), each ${HOURS} h at 1 Hz in ${(HOURS * 60) / BATCH_MINUTES} uploads of ${BATCH_MINUTES} min, then a full pull`,
);
console.log(
  `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}, load average ${load}\n`,
);
printTable(table);
if (fanOutRows.length > 0) {
  console.log('\nPush fan-out through the job queue, three instances on Postgres\n');
  printTable(fanOutRows);
}

function printTable(lines: string[][]) {
  const widths = lines[0]?.map((_, c) => Math.max(...lines.map((line) => (line[c] ?? '').length))) ?? [];
  const row = (cells: string[]) => console.log(`| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`);
  lines.forEach((line, i) => {
    row(line);
    if (i === 0) row(widths.map((width) => '-'.repeat(width)));
  });
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function ms(n: number): string {
  return `${n.toFixed(1)} ms`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

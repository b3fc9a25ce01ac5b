/**
 * Push sending cost: Steady's sender (one VAPID JWT per push-service origin, keep-alive,
 * bounded concurrency) against web-push's `sendNotification` used the usual way (a JWT signed
 * per message, one push at a time), measured in the same run.
 *
 *   npx tsx tests/bench/push-bench.ts [--count 10000] [--seconds 2]
 *
 * Not a test: it prints a table. Target: ≥ 4,000 encryptions per second per core with the
 * cached JWT. Rates per core are per CPU-second of this process, so a machine busy with other
 * work still gives comparable figures; wall-clock rates are printed beside them. The local push
 * service runs in a child process and answers 201 without decrypting: the figures are the sender's.
 */
import { fork } from 'node:child_process';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import webpush from 'web-push';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { PushSender } from '../../server/push/sender';
import { PushService } from '../../server/push/service';
import { VapidAuthCache } from '../../server/push/vapid-auth-cache';
import { loadVapidKeys } from '../../server/push/vapid-keys';
import { insertSubscribedDevices } from '../helpers/push-rows';
import { LocalPushService } from '../helpers/push-service';

interface Ready {
  host: string;
  origin: string;
  caFile: string;
}

// The child: a push service that subscribes on request and answers until told to stop.
if (process.argv.includes('--serve')) {
  const service = await LocalPushService.start({ verify: false });
  process.on('message', (message: { subscribe?: { count: number; key: string } }) => {
    if (message.subscribe) {
      const subs = Array.from({ length: message.subscribe.count }, () => service.subscribe(message.subscribe?.key ?? '').json);
      process.send?.({ subs });
    }
  });
  process.on('disconnect', () => void service.close().then(() => process.exit(0)));
  process.send?.({ host: service.host, origin: service.origin, caFile: service.caFile } satisfies Ready);
} else {
  await main();
}

async function main() {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '2' } } });
  const count = Number(values.count);
  const seconds = Number(values.seconds);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-push-bench-'));
  const child = fork(import.meta.filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m) => resolve(m as Ready)));
  const rows: Array<[string, string]> = [];
  try {
    const config = loadConfig({ DATA_DIR: dataDir, PUSH_ALLOWED_HOSTS: ready.host, PUSH_EXTRA_CA_FILE: ready.caFile, STATIC_DIR: '' });
    const keys = loadVapidKeys(dataDir, config.push);
    const privateKey = (JSON.parse(fs.readFileSync(path.join(dataDir, 'vapid.json'), 'utf8')) as { privateKey: string }).privateKey;
    const vapidDetails = { subject: config.push.vapidSubject, publicKey: keys.publicKey, privateKey };

    // ── 1. CPU per message, one core ──────────────────────────────────────────────────────
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const subscription = {
      endpoint: `${ready.origin}/push/bench`,
      keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    const payload = JSON.stringify({ type: 'refresh', id: randomUUID() });
    const options = { contentEncoding: 'aes128gcm' as const, TTL: 3600, urgency: 'normal' as const, topic: 'steady-refresh' };
    const cache = new VapidAuthCache(keys);
    // Per CPU-second of this process (user + system), so machines shared with other work still give per-core figures.
    const perSecond = (work: () => void) => {
      for (let i = 0; i < 200; i++) work(); // warm-up
      let n = 0;
      const cpu = process.cpuUsage();
      const end = performance.now() + seconds * 1000;
      while (performance.now() < end) {
        for (let i = 0; i < 50; i++) work();
        n += 50;
      }
      return n / cpuSeconds(cpu);
    };
    const cached = perSecond(() => {
      webpush.generateRequestDetails(subscription, payload, options);
      cache.header(ready.origin);
    });
    const perMessage = perSecond(() => webpush.generateRequestDetails(subscription, payload, { ...options, vapidDetails }));
    const signOnly = perSecond(() => webpush.getVapidHeaders(ready.origin, vapidDetails.subject, keys.publicKey, privateKey, 'aes128gcm'));
    rows.push(['encrypt + cached JWT (Steady), per core', `${fmt(cached)} /s`]);
    rows.push(['encrypt + JWT signed per message (web-push), per core', `${fmt(perMessage)} /s`]);
    rows.push(['  of which JWT signing alone', `${fmt(signOnly)} /s (${pct(1 / signOnly / (1 / perMessage))} of a web-push message)`]);

    // ── 2. Sends to the local push service ────────────────────────────────────────────────
    child.send({ subscribe: { count, key: keys.publicKey } });
    const { subs } = await new Promise<{ subs: Array<{ endpoint: string; keys: { p256dh: string; auth: string } }> }>((resolve) =>
      child.once('message', (m) => resolve(m as never)),
    );
    const database = await openDatabase(config);
    const now = new Date().toISOString();
    const accountId = randomUUID();
    await database.db
      .insertInto('accounts')
      .values({ id: accountId, sync_code_hash: `retired:${accountId}`, created_at: now })
      .execute();
    await insertSubscribedDevices(database.db, accountId, subs, keys.keyId);
    const log = { info() {}, warn() {}, error: (details: object, message: string) => console.error(message, details) };
    const extraCa = fs.readFileSync(ready.caFile);
    const sender = new PushSender({ keys, allowedHosts: config.push.allowedHosts, timeoutMs: 10_000, log, extraCa, concurrency: 32 });
    // The local push service answers 201 to all: nothing is retried, so a retry is a bench failure.
    const retries = { schedule: async () => Promise.reject(new Error('the bench expects no push retries')) };
    const service = new PushService(database.db, sender, keys.keyId, log, { retries });
    let started = performance.now();
    let cpu = process.cpuUsage();
    const report = await service.send({ all: true }, 'refresh');
    const steadyMs = performance.now() - started;
    const steadyCpu = cpuSeconds(cpu);
    sender.close();
    await database.close();
    if (report.sent !== count) throw new Error(`Steady sent ${report.sent} of ${count}: ${JSON.stringify(report)}`);

    // web-push as documented: sendNotification in a loop, each signing its own JWT. Same trust, keep-alive agent as Node's global one.
    const agent = new https.Agent({ keepAlive: true, ca: [extraCa.toString()] });
    started = performance.now();
    cpu = process.cpuUsage();
    for (const sub of subs) {
      await webpush.sendNotification(sub, payload, { ...options, vapidDetails, agent });
    }
    const libraryMs = performance.now() - started;
    const libraryCpu = cpuSeconds(cpu);
    agent.destroy();

    const sends = (ms: number, cpuS: number) =>
      `${fmt(count / (ms / 1000))} /s wall (${(ms / 1000).toFixed(1)} s), ${fmt(count / cpuS)} per CPU-second`;
    rows.push([`${fmt(count)} pushes, Steady (32 in flight, keep-alive, recorded in push_sends)`, sends(steadyMs, steadyCpu)]);
    rows.push([`${fmt(count)} pushes, web-push sendNotification one at a time`, sends(libraryMs, libraryCpu)]);
  } finally {
    child.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nPush bench (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version})\n`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement, parseHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { chunkSamples, type HeartRateSample, type RecordingGap, type SampleChunk } from '../../src/shared/samples';
import { ArmbandEmulation, eventually, readStore } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

// Fixed: the origin (and so IndexedDB and the Bluetooth permission) must survive reloads.
const PORT = 18231;

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;

/** One scripted notification and what the app must make of it. */
type Step = { bpm: number; contact?: boolean | null; rrMs: number[]; uint16?: boolean; energyKJ?: number };

const bytesOf = (step: Step) => encodeHeartRateMeasurement(step);
/** What the parser gives for a step: the RR intervals after the 1/1024 s round trip. */
const expected = (step: Step) => {
  const parsed = parseHeartRateMeasurement(new DataView(bytesOf(step).buffer));
  if (!parsed.ok) throw new Error(parsed.reason);
  return { bpm: parsed.value.bpm, contact: parsed.value.contact, intervalsMs: parsed.value.rrMs };
};

/** Every stored sample of the emulated armband (not demo), oldest first. */
async function storedSamples(): Promise<HeartRateSample[]> {
  const chunks = await readStore<SampleChunk>(browser.page, 'chunks');
  return chunks
    .filter((chunk) => !chunk.demo)
    .sort((a, b) => a.minuteStart - b.minuteStart)
    .flatMap(chunkSamples);
}

async function send(steps: Step[]): Promise<void> {
  for (const step of steps) await armband.notify(browser.page, 'heartRate', bytesOf(step));
}

const state = () => browser.page.getByTestId('armband-state');

/** Counts readwrite transactions over `chunks` in the page: recording must batch, never write per notification. */
function countChunkWrites() {
  const original = IDBDatabase.prototype.transaction;
  const counter = globalThis as { __chunkWrites?: number };
  counter.__chunkWrites = 0;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const [stores, mode] = args;
    if (mode === 'readwrite' && [stores].flat().includes('chunks')) counter.__chunkWrites = (counter.__chunkWrites ?? 0) + 1;
    return original.apply(this, args);
  } as IDBDatabase['transaction'];
}
const chunkWrites = () => browser.page.evaluate(() => (globalThis as { __chunkWrites?: number }).__chunkWrites ?? 0);

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser({ bluetooth: true });
  await browser.context.addInitScript(countChunkWrites);
  await browser.page.goto(`${server.url}/`);
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

// One browser, in order: pair, stream, lose the link, reload.
describe('the armband', () => {
  const first: Step[] = [
    { bpm: 61, contact: true, rrMs: [984] },
    { bpm: 62, contact: true, rrMs: [968, 975], uint16: true },
    { bpm: 64, contact: null, rrMs: [] },
    { bpm: 66, contact: false, rrMs: [910], uint16: true, energyKJ: 12 },
    { bpm: 140, contact: true, rrMs: [429, 428, 430] },
    { bpm: 73, contact: true, rrMs: [822], uint16: true },
  ];

  it('says plainly when there is no Bluetooth adapter', async () => {
    const { page } = browser;
    // No emulation yet: to Chromium this machine has no adapter.
    await page.getByRole('button', { name: 'Connect armband' }).click();
    const status = page.getByTestId('armband-status');
    await status.filter({ hasText: 'Bluetooth adapter not available' }).waitFor({ timeout: 5_000 });
    expect(await status.getAttribute('class')).toContain('error');
    await page.getByRole('link', { name: 'Settings' }).click();
    const card = page.getByTestId('armband-capabilities');
    expect((await card.textContent())?.match(/Yes/g)?.length).toBe(3);
    await page.getByText('Last attempt to connect: Bluetooth adapter not available').waitFor({ timeout: 3_000 });
    await page.getByRole('link', { name: 'Today' }).click();
  });

  it('pairs through the browser chooser from "Connect armband" and streams', async () => {
    const { page } = browser;
    armband = await ArmbandEmulation.start(browser, { name: 'Steady Test Strap', batteryPercent: 87 });
    await page.getByRole('button', { name: 'Connect armband' }).click();
    await state().filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });
    expect(armband.connections).toBe(1);
    await send(first);
    await page.getByTestId('live-bpm').filter({ hasText: '73' }).waitFor({ timeout: 5_000 });
  });

  it('stores exactly the samples it was sent, with their RR intervals, within ~1 s', async () => {
    const samples = await eventually(storedSamples, (s) => s.length >= first.length, 3_000, 'all samples stored');
    expect(samples.map(({ bpm, contact, intervalsMs }) => ({ bpm, contact, intervalsMs }))).toEqual(first.map(expected));
    const times = samples.map((s) => s.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    const chunks = (await readStore<SampleChunk>(browser.page, 'chunks')).filter((chunk) => !chunk.demo);
    for (const chunk of chunks)
      expect(chunk).toMatchObject({ demo: false, intervalKind: 'rr', sourceId: expect.not.stringMatching(/^demo$/) });
  });

  it('refuses malformed values, counts them with the reason, and stores nothing for them', async () => {
    const { page } = browser;
    const before = (await storedSamples()).length;
    await armband.notify(page, 'heartRate', Uint8Array.of(0x10, 70, 0x01)); // RR flag with an odd byte count
    await armband.notify(page, 'heartRate', Uint8Array.of(0x00, 0)); // 0 bpm: no lock on the heart
    await armband.notify(page, 'heartRate', new Uint8Array(0));
    await send([{ bpm: 75, contact: true, rrMs: [800] }]);
    const samples = await eventually(storedSamples, (s) => s.length >= before + 1, 3_000, 'the good sample stored');
    expect(samples.length).toBe(before + 1);
    expect(samples.at(-1)).toMatchObject({ bpm: 75, intervalsMs: [800] });
    const line = await page.getByTestId('armband-diagnostics').textContent();
    expect(line).toContain('3 refused');
    expect(line).toMatch(/truncated 1/);
    expect(line).toMatch(/zero-bpm 1/);
    expect(line).toMatch(/empty 1/);
  });

  it('writes in batches: twenty quick notifications take one or two transactions, not twenty', async () => {
    const before = (await storedSamples()).length;
    const writesBefore = await chunkWrites();
    await send(Array.from({ length: 20 }, (_, i) => ({ bpm: 70 + i, contact: true, rrMs: [850 - i] })));
    await eventually(storedSamples, (s) => s.length >= before + 20, 3_000, 'twenty samples stored');
    expect((await storedSamples()).length).toBe(before + 20);
    expect(await chunkWrites()).toBeLessThanOrEqual(writesBefore + 3);
  });

  it('shows battery and device information', async () => {
    const { page } = browser;
    expect(await page.getByTestId('live-battery').textContent()).toContain('87%');
    await armband.notify(page, 'battery', Uint8Array.of(42));
    await page.getByTestId('live-battery').filter({ hasText: '42%' }).waitFor({ timeout: 3_000 });
    const details = await page.getByTestId('armband-details').textContent();
    expect(details).toContain('Steady Test Strap');
    expect(details).toContain('Steady Labs');
    expect(details).toContain('Test Strap 1');
    expect(details).toContain('1.2.3');
  });

  it('reconnects by itself after the link drops, resumes, and records the gap', async () => {
    const { page } = browser;
    const before = await storedSamples();
    const lastBefore = before.at(-1)!;
    await armband.disconnect();
    await state().filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 5_000 });
    await state().filter({ hasText: 'Recording' }).waitFor({ timeout: 15_000 });
    expect(armband.connections).toBe(2);
    const after: Step[] = [
      { bpm: 80, contact: true, rrMs: [750] },
      { bpm: 81, contact: true, rrMs: [741], uint16: true },
    ];
    await send(after);
    const samples = await eventually(storedSamples, (s) => s.length >= before.length + 2, 3_000, 'samples after reconnection');
    expect(samples.slice(before.length).map(({ bpm, contact, intervalsMs }) => ({ bpm, contact, intervalsMs }))).toEqual(
      after.map(expected),
    );
    const firstAfter = samples[before.length]!;
    const gaps = await eventually(
      () => readStore<RecordingGap>(page, 'gaps'),
      (g) => g.some((gap) => gap.end !== null),
      3_000,
      'a closed gap',
    );
    const [chunk] = (await readStore<SampleChunk>(page, 'chunks')).filter((c) => !c.demo);
    const sourceId = chunk!.sourceId;
    expect(gaps).toEqual([{ id: `${sourceId}|${lastBefore.t}`, sourceId, start: lastBefore.t, end: firstAfter.t, reason: 'disconnected' }]);
  });

  it('after a reload, finds the armband with getDevices and records again over one connection', async () => {
    const { page } = browser;
    const before = await storedSamples();
    await page.reload();
    // A reload tears the emulation down: bring the armband back, as if it were still in range.
    await armband.arm();
    await state().filter({ hasText: 'Recording' }).waitFor({ timeout: 15_000 });
    // Give a duplicate connection attempt the time to show itself.
    await page.waitForTimeout(1_500);
    expect(armband.connections).toBe(1);
    expect(await state().textContent()).toBe('Recording');
    expect(await page.getByTestId('armband-details').textContent()).toContain('Steady Test Strap');
    await send([{ bpm: 90, contact: true, rrMs: [667] }]);
    const samples = await eventually(storedSamples, (s) => s.length >= before.length + 1, 3_000, 'a sample after the reload');
    expect(samples.at(-1)).toMatchObject({ bpm: 90, intervalsMs: [667] });
    // The page was closed mid-recording: the time between is a gap, not silence.
    const gaps = await eventually(
      () => readStore<RecordingGap>(page, 'gaps'),
      (g) => g.some((gap) => gap.reason === 'page-closed' && gap.end !== null),
      3_000,
      'a page-closed gap',
    );
    expect(gaps.find((gap) => gap.reason === 'page-closed')).toMatchObject({ start: before.at(-1)!.t, end: samples.at(-1)!.t });
  });

  it('where getDevices is missing, offers a one-tap Reconnect after a reload and says why', async () => {
    const { page, context } = browser;
    // As in browsers without the permissions backend: the page cannot find a paired armband by itself.
    await context.addInitScript(() => {
      const classes = globalThis as unknown as Record<'Bluetooth' | 'BluetoothDevice', { prototype: Record<string, unknown> }>;
      delete classes.Bluetooth.prototype.getDevices;
      delete classes.BluetoothDevice.prototype.watchAdvertisements;
    });
    await page.reload();
    await armband.arm();
    await page.getByRole('button', { name: 'Reconnect' }).waitFor({ timeout: 5_000 });
    expect(await state().textContent()).toBe('Disconnected');
    expect(await page.getByTestId('armband-status').textContent()).toMatch(/Steady Test Strap is paired\. .*tap on Reconnect/);
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await state().filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });
    expect(armband.connections).toBe(1);
  });
});

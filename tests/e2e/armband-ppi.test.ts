import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { chunkSamples, type SampleChunk } from '../../src/shared/samples';
import { ArmbandEmulation, eventually, readStore } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

const PORT = 18234;

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;

/** A raw PPI data frame (polar-ble-sdk PmdDataFrame + PpiData): type 3, timestamp, frame type 0, 6-byte samples. */
function ppiFrame(samples: { ppMs: number; errorMs: number; blocker?: boolean }[]): Uint8Array {
  const bytes = new Uint8Array(10 + 6 * samples.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x03);
  samples.forEach((sample, i) => {
    const at = 10 + 6 * i;
    view.setUint16(at + 1, sample.ppMs, true);
    view.setUint16(at + 3, sample.errorMs, true);
    view.setUint8(at + 5, (sample.blocker ? 0x01 : 0) | 0x02 | 0x04); // contact, contact supported
  });
  return bytes;
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser({ bluetooth: true });
  await browser.page.goto(`${server.url}/`);
  armband = await ArmbandEmulation.start(browser, {
    name: 'Polar Sense 0A1B2C3D',
    manufacturer: 'Polar Electro Oy',
    model: 'Polar Sense',
    pmd: true,
  });
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

describe('an optical armband with Polar PMD (Verity Sense)', () => {
  it('starts PPI through the control point and says so', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Connect armband' }).click();
    const start = await eventually(
      async () => armband.writes.find((w) => w.characteristic === 'pmdControlPoint'),
      (write) => write !== undefined,
      10_000,
      'a write to the PMD control point',
    );
    expect([...start!.data]).toEqual([0x02, 0x03]); // start, PPI
    // The answer arrives as an indication: F0, op, type, success.
    await armband.notify(page, 'pmdControlPoint', Uint8Array.of(0xf0, 0x02, 0x03, 0x00, 0x00));
    await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('armband-details').textContent()).toContain('Polar PPI');
  });

  it('records usable PPI intervals with the next heart rate, as intervalKind ppi, dropping movement and large errors', async () => {
    const { page } = browser;
    await armband.notify(
      page,
      'pmdData',
      ppiFrame([
        { ppMs: 912, errorMs: 10 },
        { ppMs: 700, errorMs: 10, blocker: true },
        { ppMs: 905, errorMs: 120 },
        { ppMs: 931, errorMs: 12 },
      ]),
    );
    await armband.notify(page, 'heartRate', encodeHeartRateMeasurement({ bpm: 65, contact: true, rrMs: [] }));
    await armband.notify(page, 'heartRate', encodeHeartRateMeasurement({ bpm: 66, contact: true, rrMs: [] }));
    const chunks = await eventually(
      () => readStore<SampleChunk>(page, 'chunks'),
      (c) => c.flatMap(chunkSamples).length >= 2,
      3_000,
      'two samples stored',
    );
    expect(chunks.map((c) => c.intervalKind)).toEqual(chunks.map(() => 'ppi'));
    expect(chunks.flatMap(chunkSamples).map(({ bpm, intervalsMs }) => ({ bpm, intervalsMs }))).toEqual([
      { bpm: 65, intervalsMs: [912, 931] },
      { bpm: 66, intervalsMs: [] },
    ]);
    expect(await page.getByTestId('armband-diagnostics').textContent()).toContain('2 PPI intervals dropped');
  });
});

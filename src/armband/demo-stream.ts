import { createDemoArmband, encodeHeartRateMeasurement } from '../shared/armband/demo-armband';
import type { ArmbandIngest } from './ingest';

/** The demo armband as a source: who it is, and what it reports about itself. */
export const DEMO_ARMBAND = { id: 'demo', name: 'Demo armband', demo: true } as const;
export const DEMO_DETAILS = { manufacturer: 'Steady', model: 'Demo armband (synthetic data)', firmware: null };
const DEMO_BATTERY_PERCENT = 80;

/**
 * Streams the demo armband's readings, one a second like a real strap, as 0x2A37 bytes into
 * the same ingest path as a real armband (parser, checks, clock, recorder, live view), until
 * `signal` aborts. Each run has its own seed, so two demos differ.
 */
export function streamDemo(ingest: ArmbandIngest, signal: AbortSignal, seed = Date.now() % 2_147_483_647): void {
  const armband = createDemoArmband({ seed, startMs: Date.now() });
  ingest.battery(new DataView(Uint8Array.of(DEMO_BATTERY_PERCENT).buffer));
  const timer = setInterval(() => {
    const { bpm, contact, rrMs } = armband.next();
    const bytes = encodeHeartRateMeasurement({ bpm, contact, rrMs });
    ingest.heartRate(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }, 1_000);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

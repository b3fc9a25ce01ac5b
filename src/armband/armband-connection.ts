import type { Recorder } from '../recording/recorder';
import { PMD_SERVICE_UUID } from '../shared/armband/polar-pmd';
import { detectCapabilities } from './capabilities';
import { DEMO_ARMBAND, DEMO_DETAILS, streamDemo } from './demo-stream';
import { isDomError, messageOf } from './gatt-errors';
import { type GattSession, openGattSession } from './gatt-session';
import { ArmbandIngest } from './ingest';
import { keepConnected } from './keep-connected';
import { lastArmband, rememberArmband, updateArmband } from './known-armbands';
import { type ArmbandIdentity, armbandState, batteryLevel, deviceDetails, diagnostics, EMPTY_DIAGNOSTICS, liveReading } from './live-state';
import { seedHistory } from './seed-history';

/** What the chooser asks for: any heart-rate armband, plus the services Steady reads if present. */
const REQUEST_OPTIONS: RequestDeviceOptions = {
  filters: [{ services: ['heart_rate'] }],
  optionalServices: ['battery_service', 'device_information', PMD_SERVICE_UUID],
};

/**
 * The one owner of the armband connection (or the demo armband): at most one source at a
 * time, and never two connections to one armband. It publishes its lifecycle and readings as
 * signals (live-state.ts); the UI only observes them and calls these methods.
 */
export class ArmbandConnection {
  private run: AbortController | null = null;
  private sourceId: string | null = null;

  constructor(
    private readonly recorder: Recorder,
    private readonly lifetime: AbortSignal,
  ) {}

  /** Opens the browser's chooser (call from a click: it needs a user gesture) and connects the chosen armband. */
  async pair(): Promise<void> {
    const bluetooth = navigator.bluetooth;
    if (!bluetooth) {
      armbandState.value = { kind: 'failed', code: 'no-bluetooth', message: 'This browser has no Web Bluetooth.', armband: null };
      return;
    }
    const before = armbandState.value;
    if (before.kind === 'requesting') return;
    armbandState.value = { kind: 'requesting' };
    let device: BluetoothDevice;
    try {
      device = await bluetooth.requestDevice(REQUEST_OPTIONS);
    } catch (error) {
      armbandState.value = chooserFailure(error, before);
      return;
    }
    // Already the current armband (chosen again): nothing changes, so show what was shown.
    if (!(await this.follow(device, false))) armbandState.value = before;
  }

  /** On start: reconnects the armband that was recording when the page last closed, without a chooser where the browser allows. */
  async restore(): Promise<void> {
    const known = await lastArmband();
    if (!known?.recording || this.sourceId !== null) return;
    const armband: ArmbandIdentity = { id: known.id, name: known.name, demo: false };
    const needsGesture = (detail: string) => {
      if (this.sourceId === null) armbandState.value = { kind: 'disconnected', armband, why: 'needs-gesture', detail };
    };
    if (!detectCapabilities().getDevices) {
      return needsGesture('This browser cannot reach a paired armband again by itself (no getDevices): one tap on Reconnect does it.');
    }
    // A refusal (e.g. the permission was reset) is the same as not finding it: ask for a tap.
    const devices = await navigator.bluetooth?.getDevices?.().catch(() => []);
    const device = devices?.find((candidate) => candidate.id === known.id);
    if (!device)
      return needsGesture('The browser no longer lets Steady use this armband without asking: tap Reconnect and choose it again.');
    await this.follow(device, true, known.name);
  }

  /** Streams the demo armband through the same path as a real one, labelled and stored as demo data. */
  startDemo(): void {
    this.halt();
    const run = this.begin(DEMO_ARMBAND.id);
    const ingest = new ArmbandIngest(DEMO_ARMBAND, this.recorder);
    deviceDetails.value = DEMO_DETAILS;
    armbandState.value = { kind: 'streaming', armband: DEMO_ARMBAND, since: Date.now(), intervals: 'rr' };
    void seedHistory(DEMO_ARMBAND.id);
    streamDemo(ingest, run.signal);
  }

  /** Stops recording on purpose (no gap is recorded) and keeps the armband from reconnecting by itself. */
  async stop(): Promise<void> {
    const state = armbandState.value;
    const armband = 'armband' in state ? state.armband : null;
    const id = this.sourceId;
    this.halt();
    armbandState.value = armband ? { kind: 'disconnected', armband, why: 'user', detail: 'Stopped.' } : { kind: 'idle' };
    await this.recorder.flush();
    if (id && id !== DEMO_ARMBAND.id) await updateArmband(id, { recording: false });
  }

  /**
   * Takes charge of `device`: unless it is already the current source, stops the current one
   * and keeps this one connected. False when it already was the current source.
   */
  private async follow(device: BluetoothDevice, wasRecording: boolean, knownName?: string): Promise<boolean> {
    // The guard against two connections: the same armband again (a second tap, restore racing a pairing) is a no-op.
    if (this.sourceId === device.id && this.run && !this.run.signal.aborted) return false;
    this.halt();
    const run = this.begin(device.id);
    // getDevices() can report an empty name after a reload (seen in Chromium 156): keep the one we stored.
    const armband: ArmbandIdentity = { id: device.id, name: device.name || knownName || 'Armband', demo: false };
    armbandState.value = { kind: 'connecting', armband };
    try {
      await rememberArmband(armband.id, armband.name);
      await this.recorder.resume(armband.id, wasRecording);
    } catch (error) {
      // Storage trouble must not keep the armband from streaming; the recorder retries writes.
      console.error('Steady: could not prepare recording', error);
    }
    if (run.signal.aborted) return true;
    void seedHistory(armband.id);
    const ingest = new ArmbandIngest(armband, this.recorder);
    void keepConnected<GattSession>(
      device,
      {
        open: (server, signal) => openGattSession(server, ingest, signal),
        connecting: (attempt) => {
          if (attempt === 0 && armbandState.value.kind !== 'reconnecting') armbandState.value = { kind: 'connecting', armband };
        },
        streaming: (session) => {
          deviceDetails.value = session.details;
          if (session.notes.length > 0)
            diagnostics.value = { ...diagnostics.value, last: { at: Date.now(), message: session.notes.join('; ') } };
          armbandState.value = { kind: 'streaming', armband, since: Date.now(), intervals: session.intervals };
          void updateArmband(armband.id, { lastConnectedAt: Date.now() });
        },
        lost: () => this.recorder.stopped(armband.id, 'disconnected'),
        waiting: (attempt, retryAt, cause) => {
          armbandState.value = { kind: 'reconnecting', armband, attempt, retryAt, cause };
        },
      },
      run.signal,
    ).catch((error: unknown) => {
      armbandState.value = { kind: 'failed', code: 'connect-failed', message: messageOf(error), armband };
    });
    return true;
  }

  /** Starts a run for a source, resetting what the UI shows about the previous one. */
  private begin(sourceId: string): AbortController {
    const run = new AbortController();
    this.lifetime.addEventListener('abort', () => run.abort(), { once: true, signal: run.signal });
    this.run = run;
    this.sourceId = sourceId;
    liveReading.value = null;
    batteryLevel.value = null;
    deviceDetails.value = null;
    diagnostics.value = EMPTY_DIAGNOSTICS;
    return run;
  }

  private halt(): void {
    this.run?.abort();
    this.run = null;
    this.sourceId = null;
  }
}

/** What the chooser's failure means: back to where we were when the user cancelled, a plain error otherwise. */
function chooserFailure(error: unknown, before: typeof armbandState.value) {
  const message = messageOf(error);
  if (isDomError(error, 'NotFoundError') && /cancel/i.test(message)) return before;
  if (isDomError(error, 'NotFoundError') && /adapter/i.test(message)) {
    return {
      kind: 'failed',
      code: 'adapter-unavailable',
      message: `Bluetooth adapter not available. Turn Bluetooth on, then try again. (${message})`,
      armband: null,
    } as const;
  }
  if (isDomError(error, 'SecurityError') || isDomError(error, 'NotAllowedError')) {
    return { kind: 'failed', code: 'not-allowed', message: `Bluetooth is not allowed here: ${message}`, armband: null } as const;
  }
  return { kind: 'failed', code: 'unknown', message, armband: null } as const;
}

/// <reference path="../../src/armband/web-bluetooth.d.ts" />
import type { CDPSession, Page } from 'playwright-core';
import { inAppDb } from './app-db';
import type { TestBrowser } from './browser';

/**
 * An emulated heart-rate armband for Chromium's BluetoothEmulation CDP domain (see
 * shared/docs/browser-testing.md, "The armband"). It answers every GATT operation the app
 * makes, serves queued read answers, and "notifies" by queueing a value and calling readValue()
 * on the app's own characteristic (there is no CDP command that sends a notification).
 * Full 128-bit UUIDs only: a short name makes Chromium drop the message.
 */

const uuid = (short: number) => `0000${short.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb`;

/** The GATT attributes the emulated armband has, by role. */
export const ARMBAND_UUIDS = {
  heartRateService: uuid(0x180d),
  heartRate: uuid(0x2a37),
  batteryService: uuid(0x180f),
  battery: uuid(0x2a19),
  deviceInfoService: uuid(0x180a),
  manufacturer: uuid(0x2a29),
  model: uuid(0x2a24),
  firmware: uuid(0x2a26),
  pmdService: 'fb005c80-02e7-f387-1cad-8acd2d8df0c8',
  pmdControlPoint: 'fb005c81-02e7-f387-1cad-8acd2d8df0c8',
  pmdData: 'fb005c82-02e7-f387-1cad-8acd2d8df0c8',
  cccd: uuid(0x2902),
} as const;

/** A characteristic the test can address: its role. */
export type ArmbandCharacteristic = 'heartRate' | 'battery' | 'manufacturer' | 'model' | 'firmware' | 'pmdControlPoint' | 'pmdData';

export interface EmulatedArmbandOptions {
  address?: string;
  name?: string;
  batteryPercent?: number;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  /** Adds Polar's PMD service; the control point lists PPI and answers a start request with success. */
  pmd?: boolean;
}

type Spec = { service: keyof typeof ARMBAND_UUIDS; uuid: string; properties: Record<string, boolean> };

const CHARACTERISTICS: Record<ArmbandCharacteristic, Spec> = {
  // `read` too, so a test can inject values through readValue().
  heartRate: { service: 'heartRateService', uuid: ARMBAND_UUIDS.heartRate, properties: { notify: true, read: true } },
  battery: { service: 'batteryService', uuid: ARMBAND_UUIDS.battery, properties: { read: true, notify: true } },
  manufacturer: { service: 'deviceInfoService', uuid: ARMBAND_UUIDS.manufacturer, properties: { read: true } },
  model: { service: 'deviceInfoService', uuid: ARMBAND_UUIDS.model, properties: { read: true } },
  firmware: { service: 'deviceInfoService', uuid: ARMBAND_UUIDS.firmware, properties: { read: true } },
  pmdControlPoint: { service: 'pmdService', uuid: ARMBAND_UUIDS.pmdControlPoint, properties: { read: true, write: true, indicate: true } },
  pmdData: { service: 'pmdService', uuid: ARMBAND_UUIDS.pmdData, properties: { notify: true, read: true } },
};

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** One emulated armband on one test browser. */
export class ArmbandEmulation {
  readonly address: string;
  readonly name: string;
  /** GATT `connection` operations seen since the last `arm()`: one per connect() the app made. */
  connections = 0;
  /** Every characteristic write, in order, by role. */
  readonly writes: { characteristic: ArmbandCharacteristic; data: Uint8Array }[] = [];
  private ids = new Map<string, ArmbandCharacteristic>();
  private readonly queues = new Map<ArmbandCharacteristic, Uint8Array[]>();
  private readonly answeredPrompts = new Set<string>();
  private readonly off: (() => void)[] = [];
  /** While the GATT database is being (re)built, connection answers wait: a real armband is not connectable half-booted. */
  private building: Promise<void> | null = null;

  private constructor(
    private readonly browser: TestBrowser,
    private readonly options: EmulatedArmbandOptions,
  ) {
    this.address = options.address ?? '09:09:09:09:09:09';
    this.name = options.name ?? 'Steady Test Strap';
  }

  /** Enables emulation, adds the armband with its GATT database, and answers the chooser with it. */
  static async start(browser: TestBrowser, options: EmulatedArmbandOptions = {}): Promise<ArmbandEmulation> {
    const emulation = new ArmbandEmulation(browser, options);
    emulation.listen();
    await emulation.arm();
    await browser.cdp.send('DeviceAccess.enable');
    return emulation;
  }

  private get cdp(): CDPSession {
    return this.browser.browserCdp;
  }

  /** (Re-)creates the peripheral: after a page reload the emulation is torn down and must be armed again. */
  arm(): Promise<void> {
    return this.rebuilding(() => this.armOnce());
  }

  /** Drops the link (the app sees `gattserverdisconnected`) and restores the GATT database for its reconnection. */
  disconnect(): Promise<void> {
    return this.rebuilding(async () => {
      await this.cdp.send('BluetoothEmulation.simulateGATTDisconnection', { address: this.address });
      // The emulated peripheral loses its GATT database on disconnection (browser-testing.md).
      await this.buildGattDatabase();
    });
  }

  /** Runs `work` with connection answers held until it is done: a half-built armband is not connectable. */
  private async rebuilding(work: () => Promise<void>): Promise<void> {
    let done = () => {};
    this.building = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      await work();
    } finally {
      done();
      this.building = null;
    }
  }

  private async armOnce(): Promise<void> {
    await this.cdp.send('BluetoothEmulation.disable').catch(() => undefined);
    await this.cdp.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
    this.connections = 0;
    await this.cdp.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
      address: this.address,
      name: this.name,
      manufacturerData: [],
      knownServiceUuids: [ARMBAND_UUIDS.heartRateService],
    });
    await this.buildGattDatabase();
  }

  /** Adds services, characteristics and CCCDs; needed again after every disconnection (the peripheral forgets them). */
  private async buildGattDatabase(): Promise<void> {
    this.ids = new Map();
    const services = new Map<string, string>();
    for (const [role, spec] of Object.entries(CHARACTERISTICS) as [ArmbandCharacteristic, Spec][]) {
      if (spec.service === 'pmdService' && !this.options.pmd) continue;
      let serviceId = services.get(spec.service);
      if (!serviceId) {
        ({ serviceId } = await this.cdp.send('BluetoothEmulation.addService', {
          address: this.address,
          serviceUuid: ARMBAND_UUIDS[spec.service],
        }));
        services.set(spec.service, serviceId);
      }
      const { characteristicId } = await this.cdp.send('BluetoothEmulation.addCharacteristic', {
        serviceId,
        characteristicUuid: spec.uuid,
        properties: spec.properties,
      });
      this.ids.set(characteristicId, role);
      if (spec.properties.notify || spec.properties.indicate) {
        await this.cdp.send('BluetoothEmulation.addDescriptor', { characteristicId, descriptorUuid: ARMBAND_UUIDS.cccd });
      }
    }
  }

  /** Queues the answer to the next read of a characteristic. */
  queueRead(characteristic: ArmbandCharacteristic, bytes: Uint8Array): void {
    const queue = this.queues.get(characteristic) ?? [];
    queue.push(bytes);
    this.queues.set(characteristic, queue);
  }

  /**
   * Delivers a value to the app as a notification would: queues it, then calls readValue() on
   * the app's characteristic object, which fires `characteristicvaluechanged` on it.
   */
  async notify(page: Page, characteristic: ArmbandCharacteristic, bytes: Uint8Array): Promise<void> {
    this.queueRead(characteristic, bytes);
    const spec = CHARACTERISTICS[characteristic];
    await page.evaluate(
      async ({ name, serviceUuid, characteristicUuid }) => {
        const devices = (await navigator.bluetooth?.getDevices?.()) ?? [];
        // After a reload getDevices() may report the name as empty: then the only device is ours.
        const device = devices.find((candidate) => candidate.name === name) ?? (devices.length === 1 ? devices[0] : undefined);
        if (!device?.gatt?.connected) throw new Error(`${name} is not connected in the page`);
        const service = await device.gatt.getPrimaryService(serviceUuid);
        await (await service.getCharacteristic(characteristicUuid)).readValue();
      },
      { name: this.name, serviceUuid: ARMBAND_UUIDS[spec.service], characteristicUuid: spec.uuid },
    );
  }

  /** Stops answering and turns emulation off. */
  async stop(): Promise<void> {
    for (const off of this.off.splice(0)) off();
    await this.cdp.send('BluetoothEmulation.disable').catch(() => undefined);
  }

  private listen(): void {
    const on = <T>(session: CDPSession, event: string, handler: (payload: T) => void) => {
      const wrapped = (payload: T) => {
        try {
          handler(payload);
        } catch (error) {
          console.error(`armband emulation: ${event}`, error);
        }
      };
      session.on(event as 'BluetoothEmulation.gattOperationReceived', wrapped as never);
      this.off.push(() => session.off(event as 'BluetoothEmulation.gattOperationReceived', wrapped as never));
    };
    on<{ address: string; type: 'connection' | 'discovery' }>(this.cdp, 'BluetoothEmulation.gattOperationReceived', ({ address, type }) => {
      if (address !== this.address) return;
      if (type === 'connection') this.connections++;
      const answer = () =>
        void this.cdp.send('BluetoothEmulation.simulateGATTOperationResponse', { address, type, code: 0 }).catch(ignoreClosed);
      if (this.building) void this.building.then(answer);
      else answer();
    });
    on<{ characteristicId: string; type: string; data?: string }>(
      this.cdp,
      'BluetoothEmulation.characteristicOperationReceived',
      (operation) => this.answerCharacteristic(operation),
    );
    on<{ descriptorId: string; type: 'read' | 'write' }>(
      this.cdp,
      'BluetoothEmulation.descriptorOperationReceived',
      ({ descriptorId, type }) => {
        const data = type === 'read' ? base64(Uint8Array.of(0, 0)) : undefined;
        void this.cdp
          .send('BluetoothEmulation.simulateDescriptorOperationResponse', { descriptorId, type, code: 0, data })
          .catch(ignoreClosed);
      },
    );
    on<{ id: string; devices: { id: string; name: string }[] }>(
      this.browser.cdp,
      'DeviceAccess.deviceRequestPrompted',
      ({ id, devices }) => {
        // The chooser lists the peripheral by address (its name can be empty there).
        const device = devices.find((candidate) => candidate.id === this.address || candidate.name === this.name);
        // The prompt can come twice with the same id (once before the scan finds anything): answer it once.
        if (!device || this.answeredPrompts.has(id)) return;
        this.answeredPrompts.add(id);
        void this.browser.cdp.send('DeviceAccess.selectPrompt', { id, deviceId: device.id }).catch(ignoreClosed);
      },
    );
  }

  private answerCharacteristic({ characteristicId, type, data }: { characteristicId: string; type: string; data?: string }): void {
    const role = this.ids.get(characteristicId);
    const respond = (code: number, bytes?: Uint8Array) =>
      void this.cdp
        .send('BluetoothEmulation.simulateCharacteristicOperationResponse', {
          characteristicId,
          type: type as 'read',
          code,
          data: bytes ? base64(bytes) : undefined,
        })
        .catch(ignoreClosed);
    // 0x0a attribute not found: a stale id from before a disconnection.
    if (!role) respond(0x0a);
    else if (type === 'read') respond(0, this.queues.get(role)?.shift() ?? this.defaultValue(role));
    else {
      if (type === 'write') this.writes.push({ characteristic: role, data: new Uint8Array(Buffer.from(data ?? '', 'base64')) });
      respond(0);
    }
  }

  private defaultValue(role: ArmbandCharacteristic): Uint8Array {
    switch (role) {
      case 'battery':
        return Uint8Array.of(this.options.batteryPercent ?? 87);
      case 'manufacturer':
        return utf8(this.options.manufacturer ?? 'Steady Labs');
      case 'model':
        return utf8(this.options.model ?? 'Test Strap 1');
      case 'firmware':
        return utf8(this.options.firmware ?? '1.2.3');
      case 'pmdControlPoint':
        // Feature read: byte 1 bit 3 = PPI (PmdMeasurementType.fromByteArray).
        return Uint8Array.of(0x0f, 0x08);
      case 'heartRate':
        return Uint8Array.of(0x00, 60);
      case 'pmdData':
        return new Uint8Array(0);
    }
  }
}

/** The browser may be closing while an answer is in flight. */
function ignoreClosed(): void {}

/** Reads a whole store of the app's database from the page. */
export function readStore<T>(page: Page, store: 'chunks' | 'gaps' | 'armbands'): Promise<T[]> {
  return inAppDb(page, (db, name, idb) => idb.result(db.transaction(name, 'readonly').objectStore(name).getAll()), store) as Promise<T[]>;
}

/** Polls `read` until `done` says yes (or fails after `timeoutMs` with the last value in the message). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} not met after ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import { decodeDeviceInformationString } from '../shared/armband/device-information';
import {
  BATTERY_LEVEL,
  BATTERY_SERVICE,
  DEVICE_INFORMATION_SERVICE,
  FIRMWARE_REVISION_STRING,
  HEART_RATE_MEASUREMENT,
  HEART_RATE_SERVICE,
  MANUFACTURER_NAME_STRING,
  MODEL_NUMBER_STRING,
} from '../shared/armband/gatt-uuids';
import { isDomError, messageOf, optional } from './gatt-errors';
import type { ArmbandIngest } from './ingest';
import type { DeviceDetails } from './live-state';
import { startPpi } from './pmd-ppi';

/** A connected armband, subscribed: what it told us, and how to stop listening. */
export interface GattSession {
  intervals: 'rr' | 'ppi';
  details: DeviceDetails;
  /** Problems that did not stop the session (no battery service, PPI refused…). */
  notes: string[];
}

/** Calls `handle` with every value of a characteristic, whatever caused it (notification or read), until `signal` aborts. */
function onValue(characteristic: BluetoothRemoteGATTCharacteristic, handle: (view: DataView) => void, signal: AbortSignal): void {
  characteristic.addEventListener(
    'characteristicvaluechanged',
    () => {
      if (characteristic.value) handle(characteristic.value);
    },
    { signal },
  );
}

/**
 * Subscribes to a freshly connected armband: heart rate (required), battery, device
 * information and Polar PPI (each optional). Values flow into `ingest` until `signal` aborts.
 * Listeners are added before notifications start, so the first value is never missed.
 */
export async function openGattSession(server: BluetoothRemoteGATTServer, ingest: ArmbandIngest, signal: AbortSignal): Promise<GattSession> {
  const notes: string[] = [];
  const heartRate = await server.getPrimaryService(HEART_RATE_SERVICE);
  const measurement = await heartRate.getCharacteristic(HEART_RATE_MEASUREMENT);
  onValue(measurement, (view) => ingest.heartRate(view), signal);
  await measurement.startNotifications();

  const details = await readDetails(server, notes);

  const battery = await optional(async () => (await server.getPrimaryService(BATTERY_SERVICE)).getCharacteristic(BATTERY_LEVEL));
  if (battery) {
    onValue(battery, (view) => ingest.battery(view), signal);
    await battery.readValue(); // the value arrives through the listener, like a notification
    if (battery.properties.notify)
      await battery.startNotifications().catch((error) => notes.push(`battery notifications: ${messageOf(error)}`));
  } else notes.push('no battery service');

  let intervals: GattSession['intervals'] = 'rr';
  try {
    if (await startPpi(server, ingest, signal)) intervals = 'ppi';
  } catch (error) {
    // Heart rate still streams; only the optical beat intervals are missing.
    if (!isDomError(error, 'AbortError')) notes.push(`PPI: ${messageOf(error)}`);
  }
  return { intervals, details, notes };
}

/** Reads manufacturer, model and firmware strings; each may be absent. */
async function readDetails(server: BluetoothRemoteGATTServer, notes: string[]): Promise<DeviceDetails> {
  const details: DeviceDetails = { manufacturer: null, model: null, firmware: null };
  const service = await optional(() => server.getPrimaryService(DEVICE_INFORMATION_SERVICE));
  if (!service) return details;
  const fields: [keyof DeviceDetails, number][] = [
    ['manufacturer', MANUFACTURER_NAME_STRING],
    ['model', MODEL_NUMBER_STRING],
    ['firmware', FIRMWARE_REVISION_STRING],
  ];
  // One at a time: Chromium refuses overlapping GATT operations on some platforms.
  for (const [field, uuid] of fields) {
    try {
      const characteristic = await optional(() => service.getCharacteristic(uuid));
      if (characteristic) details[field] = decodeDeviceInformationString(await characteristic.readValue()) || null;
    } catch (error) {
      notes.push(`${field}: ${messageOf(error)}`);
    }
  }
  return details;
}

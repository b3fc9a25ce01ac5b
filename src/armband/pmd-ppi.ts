import {
  PMD_CONTROL_POINT_UUID,
  PMD_DATA_UUID,
  PMD_SERVICE_UUID,
  parsePmdControlPointResponse,
  pmdFeaturesIncludePpi,
  ppiStartCommand,
} from '../shared/armband/polar-pmd';
import { optional } from './gatt-errors';
import type { ArmbandIngest } from './ingest';

/** How long the control point may take to answer the start request. */
const ANSWER_TIMEOUT_MS = 5_000;
/** PMD error 6, "already in state": PPI is streaming from an earlier connection, which is what we want. */
const ALREADY_IN_STATE = 6;

/**
 * Starts Polar PPI streaming when the armband has the PMD service and lists PPI among its
 * features (Verity Sense, OH1: their 0x2A37 carries no RR). Sequence as in polar-ble-sdk's
 * BlePMDClient: read features, enable control point indications and data notifications,
 * write the start request, wait for its answer. True when PPI streams; listeners end with `signal`.
 */
export async function startPpi(server: BluetoothRemoteGATTServer, ingest: ArmbandIngest, signal: AbortSignal): Promise<boolean> {
  const service = await optional(() => server.getPrimaryService(PMD_SERVICE_UUID));
  if (!service) return false;
  const controlPoint = await service.getCharacteristic(PMD_CONTROL_POINT_UUID);
  const data = await service.getCharacteristic(PMD_DATA_UUID);
  if (!pmdFeaturesIncludePpi(await controlPoint.readValue())) return false;

  const answer = controlPointAnswer(controlPoint, signal);
  await controlPoint.startNotifications();
  data.addEventListener(
    'characteristicvaluechanged',
    (event) => {
      const value = (event.target as BluetoothRemoteGATTCharacteristic).value;
      if (value) ingest.ppiFrame(value);
    },
    { signal },
  );
  ingest.usePpi(true);
  try {
    await data.startNotifications();
    await controlPoint.writeValueWithResponse(ppiStartCommand());
    const response = await answer;
    if (response.ok || response.errorCode === ALREADY_IN_STATE) return true;
    throw new Error(`PPI start refused: ${response.reason}`);
  } catch (error) {
    ingest.usePpi(false);
    throw error;
  }
}

type Answer = ReturnType<typeof parsePmdControlPointResponse>;

/** The control point's answer to the PPI start request; other indications are skipped. */
function controlPointAnswer(controlPoint: BluetoothRemoteGATTCharacteristic, signal: AbortSignal): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const done = new AbortController();
    const onAbort = () => {
      done.abort();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true, signal: done.signal });
    const timer = setTimeout(() => {
      done.abort();
      reject(new Error(`PMD control point did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
    }, ANSWER_TIMEOUT_MS);
    done.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    controlPoint.addEventListener(
      'characteristicvaluechanged',
      (event) => {
        const value = (event.target as BluetoothRemoteGATTCharacteristic).value;
        if (!value) return;
        const parsed = parsePmdControlPointResponse(value);
        if (!parsed.ok && parsed.code !== 'device-error') return;
        done.abort();
        resolve(parsed);
      },
      { signal: done.signal },
    );
  });
}

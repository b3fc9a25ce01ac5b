import type { PushKeyResponse } from '../../src/shared/api';
import type { LocalPushService, SimulatedSubscription } from './push-service';

/**
 * What the app does to subscribe a device: fetch the server's VAPID key, subscribe at the push
 * service with it (or with `applicationServerKey`), PUT the subscription. Throws unless stored.
 */
export async function subscribeDevice(
  baseUrl: string,
  pushService: LocalPushService,
  deviceToken: string,
  applicationServerKey?: string,
): Promise<SimulatedSubscription> {
  const { publicKey } = (await (await fetch(`${baseUrl}/api/push/key`)).json()) as PushKeyResponse;
  const sub = pushService.subscribe(applicationServerKey ?? publicKey);
  const put = await fetch(`${baseUrl}/api/push/subscription`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(sub.json),
  });
  if (!put.ok) throw new Error(`PUT /api/push/subscription answered ${put.status}`);
  return sub;
}

import { recheckPushSubscription } from '../push/push-subscription';
import { normalisePairingCode } from '../shared/api';
import { syncNow } from '../sync/sync-client';
import { defaultDeviceName, joinAccount } from './account';

/**
 * Joins with what the person typed (or the QR link filled in), then syncs at once: the joined
 * account's history arrives now rather than at the next reload, and this device's push
 * subscription moves to its new device record.
 */
export async function joinWithCode(typed: string): Promise<void> {
  await joinAccount(normalisePairingCode(typed), defaultDeviceName());
  void syncNow('page');
  void recheckPushSubscription();
}

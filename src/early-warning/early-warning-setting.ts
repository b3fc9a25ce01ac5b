import { useState } from 'preact/hooks';
import { getDoc, saveDoc } from '../db/docs';
import { syncNow } from '../sync/sync-client';
import { useDocChanges } from '../ui/use-doc-changes';

/** The `settings` document holding the switch; synced, so it is on or off on every device. */
export const EARLY_WARNING_DOC_ID = 'early-warning';

/** Off unless the person turned it on: a warning they did not ask for is a worry, not a help. */
export async function loadEarlyWarningEnabled(): Promise<boolean> {
  return (await getDoc('settings', EARLY_WARNING_DOC_ID))?.body.enabled === true;
}

export async function saveEarlyWarningEnabled(enabled: boolean): Promise<void> {
  await saveDoc('settings', EARLY_WARNING_DOC_ID, { enabled });
  void syncNow('page').catch((error: unknown) => console.error('Steady: could not sync the early-warning switch', error));
}

/** The switch as stored, read again when it is saved here or in another tab and after each sync; null while loading. */
export function useEarlyWarningEnabled(): boolean | null {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  useDocChanges('settings', () => void loadEarlyWarningEnabled().then(setEnabled), EARLY_WARNING_DOC_ID);
  return enabled;
}

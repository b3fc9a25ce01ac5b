import { type KnownArmband, openSteadyDb } from '../db/schema';

/** The armband paired most recently, or null: the one Steady reconnects to on start. */
export async function lastArmband(): Promise<KnownArmband | null> {
  const all = await (await openSteadyDb()).getAll('armbands');
  return all.sort((a, b) => (b.lastConnectedAt ?? b.pairedAt) - (a.lastConnectedAt ?? a.pairedAt))[0] ?? null;
}

/** Remembers a paired armband (keeping when it was first paired). */
export async function rememberArmband(id: string, name: string, now = Date.now()): Promise<KnownArmband> {
  const db = await openSteadyDb();
  const tx = db.transaction('armbands', 'readwrite');
  const known = await tx.store.get(id);
  const record: KnownArmband = {
    id,
    name,
    pairedAt: known?.pairedAt ?? now,
    lastConnectedAt: known?.lastConnectedAt ?? null,
    recording: true,
  };
  await Promise.all([tx.store.put(record), tx.done]);
  return record;
}

/** Records a change of an armband's state: connected now, or whether it should keep recording. */
export async function updateArmband(id: string, change: Partial<Pick<KnownArmband, 'lastConnectedAt' | 'recording'>>): Promise<void> {
  const db = await openSteadyDb();
  const tx = db.transaction('armbands', 'readwrite');
  const known = await tx.store.get(id);
  if (known) await tx.store.put({ ...known, ...change });
  await tx.done;
}

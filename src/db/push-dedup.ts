import { openSteadyDb } from './schema';

const REMEMBERED = 100;

/** Records a push id; answers false when it was handled before (push services may redeliver). */
export async function firstDelivery(id: string): Promise<boolean> {
  const db = await openSteadyDb();
  const tx = db.transaction('syncMeta', 'readwrite');
  const record = await tx.store.get('pushIds');
  const ids = record?.key === 'pushIds' ? record.ids : [];
  if (ids.includes(id)) {
    await tx.done;
    return false;
  }
  await tx.store.put({ key: 'pushIds', ids: [...ids, id].slice(-REMEMBERED) });
  await tx.done;
  return true;
}

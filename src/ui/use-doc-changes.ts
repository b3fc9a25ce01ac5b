import { useEffect } from 'preact/hooks';
import { assertNever } from '../shared/assert-never';
import type { DocsBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import type { DocKind } from '../shared/sync/batch-codec';
import { lastRun } from '../sync/sync-client';

/**
 * Calls `read` now, whenever a document of `kind` (and `id`, if given) is saved in this page or
 * another tab, and after each sync (which may have brought one from another device).
 */
export function useDocChanges(kind: DocKind, read: () => void, id?: string): void {
  useEffect(() => {
    read();
    const channel = new BroadcastChannel(CHANNELS.docs);
    channel.onmessage = (event: MessageEvent<DocsBroadcast>) => {
      const saved = event.data;
      switch (saved.type) {
        case 'DOC_SAVED':
          if (saved.kind === kind && (id === undefined || saved.id === id)) read();
          break;
        default:
          assertNever(saved.type);
      }
    };
    const unsubscribe = lastRun.subscribe(read);
    return () => {
      channel.close();
      unsubscribe();
    };
  }, [kind, id]);
}

import type { FunctionComponent } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { LoadFailed, loadOnce, loadThen, reportLoadFailure } from '../ui/lazy';

type Card = FunctionComponent<{ actions?: boolean }>;
let loaded: Card | null = null;
const loadCard = loadOnce(() => import('./transfers-card').then((module) => module.TransfersCard));

/**
 * The Transfers card, loaded when a screen first shows it: backups, tus and their UI stay out
 * of the JavaScript the first screen needs (tests/unit/bundle-budget.test.ts). Offline it comes
 * from the precache like any other chunk. Once loaded it shows at once on every later screen;
 * code that fails to load or draw says so (src/ui/lazy.tsx).
 */
export function TransfersSection({ actions = true }: { actions?: boolean }) {
  const [Card, setCard] = useState<Card | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  const [renderError] = useErrorBoundary(reportLoadFailure);
  useEffect(() => {
    if (Card) return;
    let live = true;
    loadThen(
      loadCard,
      (card) => {
        loaded = card;
        if (live) setCard(() => card);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [Card]);
  if (!Card || failed || renderError) {
    return (
      <section class="card transfers" id="transfers" aria-labelledby="transfers-title" aria-busy={!failed && !renderError}>
        <h2 id="transfers-title" class="card-title">
          Backups and transfers
        </h2>
        {failed || renderError ? <LoadFailed what="Backups and transfers" /> : <p class="muted small">Loading…</p>}
      </section>
    );
  }
  return <Card actions={actions} />;
}

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Card = FunctionComponent<{ actions?: boolean }>;
let loaded: Card | null = null;

/**
 * The Transfers card, loaded when a screen first shows it: backups, tus and their UI stay out
 * of the JavaScript the first screen needs (tests/unit/bundle-budget.test.ts). Offline it comes
 * from the precache like any other chunk.
 */
export function TransfersSection({ actions = true }: { actions?: boolean }) {
  const [Card, setCard] = useState<Card | null>(() => loaded);
  useEffect(() => {
    if (Card) return;
    let live = true;
    void import('./transfers-card').then((module) => {
      loaded = module.TransfersCard;
      if (live) setCard(() => module.TransfersCard);
    });
    return () => {
      live = false;
    };
  }, [Card]);
  if (!Card) {
    return (
      <section class="card transfers" id="transfers" aria-labelledby="transfers-title" aria-busy="true">
        <h2 id="transfers-title" class="card-title">
          Backups and transfers
        </h2>
        <p class="muted small">Loading…</p>
      </section>
    );
  }
  return <Card actions={actions} />;
}

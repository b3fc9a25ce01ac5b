import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * Today's morning reading card. Its code (the reading store, the parsers, the stability score)
 * loads after the first screen has rendered, keeping it out of the first screen's JavaScript;
 * the card shows nothing until then, as it would while reading IndexedDB anyway.
 */
export function MorningCard() {
  const [Body, setBody] = useState<ComponentType | null>(null);
  useEffect(() => {
    let live = true;
    import('./morning-card-body').then(
      (m) => live && setBody(() => m.MorningCardBody),
      (error: unknown) => console.error('Steady: could not load the morning card', error),
    );
    return () => {
      live = false;
    };
  }, []);
  return Body ? <Body /> : null;
}

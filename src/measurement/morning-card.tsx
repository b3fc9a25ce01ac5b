import { lazyPart } from '../ui/lazy';

/**
 * Today's morning reading card. Its code (the reading store, the parsers, the stability score)
 * loads after the first screen has rendered, keeping it out of the first screen's JavaScript;
 * the card shows nothing until then, as it would while reading IndexedDB anyway.
 */
export const MorningCard = lazyPart(() => import('./morning-card-body').then((m) => m.MorningCardBody), "Today's morning reading");

import { lazyScreen } from '../ui/lazy';

/** The morning reading screen, loaded on first visit: its code stays out of the first screen's JavaScript. */
export const MeasureRoute = lazyScreen(() => import('./measure-screen').then((m) => m.MeasureScreen), 'The morning reading');

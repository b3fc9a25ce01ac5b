import { lazy } from 'preact-iso';

/** The morning reading screen, loaded on first visit: its code stays out of the first screen's JavaScript. */
export const MeasureRoute = lazy(() => import('./measure-screen').then((m) => m.MeasureScreen));

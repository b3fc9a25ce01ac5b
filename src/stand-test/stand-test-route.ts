import { lazyScreen } from '../ui/lazy';

/** The stand test screen, loaded on first visit: its code stays out of the first screen's JavaScript. */
export const StandTestRoute = lazyScreen(() => import('./stand-test-screen').then((m) => m.StandTestScreen), 'The stand test');

import { lazyScreen } from '../ui/lazy';

/** The daily symptom check-in (src/checkin/check-in-screen.tsx), loaded on first visit: it stays out of the first screen's JavaScript. */
export const CheckInScreen = lazyScreen(() => import('../checkin/check-in-screen').then((m) => m.CheckInScreen), 'Check-in');

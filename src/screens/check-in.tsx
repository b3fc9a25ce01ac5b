import { lazy } from 'preact-iso';

/** The daily symptom check-in (src/checkin/check-in-screen.tsx), loaded on first visit: it stays out of the first screen's JavaScript. */
export const CheckInScreen = lazy(() => import('../checkin/check-in-screen').then((m) => m.CheckInScreen));

/// <reference lib="webworker" />
import { handleBackgroundFetchEvents } from './background-fetch';
import { handleLifecycle } from './lifecycle';
import { routeAppShell } from './precache';
import { handlePushEvents } from './push';
import { handlePushSubscriptionEvents } from './push-subscription';
import { handleSyncEvents } from './sync';

// Entry: wiring only. Each family of events lives in its own module.
handleLifecycle();
routeAppShell();
handleSyncEvents();
handleBackgroundFetchEvents();
handlePushEvents();
handlePushSubscriptionEvents();

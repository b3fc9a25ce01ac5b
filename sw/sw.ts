/// <reference lib="webworker" />
import { handleLifecycle } from './lifecycle';
import { routeAppShell } from './precache';

// Entry: wiring only. Each family of events lives in its own module.
handleLifecycle();
routeAppShell();

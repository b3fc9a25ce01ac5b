/** Which of the web platform's APIs Steady relies on exist in this browser: the input of the capability model. */
export interface BrowserSurface {
  serviceWorker: boolean;
  periodicSync: boolean;
  backgroundSync: boolean;
  backgroundFetch: boolean;
  push: boolean;
  notifications: boolean;
  webBluetooth: boolean;
  /** `navigator.bluetooth.getDevices()`: the paired armband again after a reload. */
  bluetoothGetDevices: boolean;
  /** `BluetoothDevice.prototype.watchAdvertisements`: reconnecting as soon as it is in range. */
  bluetoothWatchAdvertisements: boolean;
  webLocks: boolean;
  /** `navigator.storage` (persist, estimate); WebKit has none unless its StorageAPI feature is on. */
  storageManager: boolean;
}

/** The globals the probe reads, so a test can hand it any browser's shape. */
export interface SurfaceScope {
  navigator?: { serviceWorker?: unknown; bluetooth?: { getDevices?: unknown }; locks?: unknown; storage?: unknown };
  ServiceWorkerRegistration?: { prototype: object };
  PushManager?: unknown;
  Notification?: unknown;
  BluetoothDevice?: { prototype: object };
}

/**
 * Feature detection on globals and prototypes, never on a registration or a user agent: it
 * answers before the worker is installed, and WebKitGTK's user agent claims Safari 60.5.
 */
export function probeBrowser(scope: SurfaceScope = globalThis as SurfaceScope): BrowserSurface {
  const registration = scope.ServiceWorkerRegistration?.prototype ?? {};
  const bluetooth = scope.navigator?.bluetooth;
  return {
    serviceWorker: scope.navigator?.serviceWorker !== undefined && scope.ServiceWorkerRegistration !== undefined,
    periodicSync: 'periodicSync' in registration,
    backgroundSync: 'sync' in registration,
    backgroundFetch: 'backgroundFetch' in registration,
    push: typeof scope.PushManager === 'function' && 'pushManager' in registration,
    notifications: typeof scope.Notification === 'function',
    webBluetooth: bluetooth !== undefined,
    bluetoothGetDevices: typeof bluetooth?.getDevices === 'function',
    bluetoothWatchAdvertisements: scope.BluetoothDevice !== undefined && 'watchAdvertisements' in scope.BluetoothDevice.prototype,
    webLocks: scope.navigator?.locks !== undefined,
    storageManager: scope.navigator?.storage !== undefined,
  };
}

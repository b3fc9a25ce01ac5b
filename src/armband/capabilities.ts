/** What this browser offers for armbands; each missing piece has a fallback (see the Settings card). */
export interface ArmbandCapabilities {
  /** `navigator.bluetooth`: pairing at all (Chromium browsers on desktop and Android). */
  webBluetooth: boolean;
  /** `navigator.bluetooth.getDevices()`: finding the paired armband again after a reload. */
  getDevices: boolean;
  /** `BluetoothDevice.watchAdvertisements()`: reconnecting as soon as the armband is in range. */
  watchAdvertisements: boolean;
}

/** Feature-detects the Web Bluetooth pieces Steady uses (https://webbluetoothcg.github.io/web-bluetooth/). */
export function detectCapabilities(): ArmbandCapabilities {
  const bluetooth = typeof navigator !== 'undefined' ? navigator.bluetooth : undefined;
  const deviceClass = (globalThis as { BluetoothDevice?: { prototype: object } }).BluetoothDevice;
  return {
    webBluetooth: bluetooth !== undefined,
    getDevices: typeof bluetooth?.getDevices === 'function',
    watchAdvertisements: deviceClass !== undefined && 'watchAdvertisements' in deviceClass.prototype,
  };
}

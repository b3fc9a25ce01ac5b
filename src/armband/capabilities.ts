import { probeBrowser } from '../pwa/browser-surface';

/** What this browser offers for armbands; each missing piece has a fallback (see the Settings card). */
export interface ArmbandCapabilities {
  /** `navigator.bluetooth`: pairing at all (Chromium browsers on desktop and Android). */
  webBluetooth: boolean;
  /** `navigator.bluetooth.getDevices()`: finding the paired armband again after a reload. */
  getDevices: boolean;
  /** `BluetoothDevice.watchAdvertisements()`: reconnecting as soon as the armband is in range. */
  watchAdvertisements: boolean;
}

/** The Web Bluetooth pieces Steady uses (https://webbluetoothcg.github.io/web-bluetooth/), from the one browser probe. */
export function detectCapabilities(): ArmbandCapabilities {
  const has = probeBrowser();
  return { webBluetooth: has.webBluetooth, getDevices: has.bluetoothGetDevices, watchAdvertisements: has.bluetoothWatchAdvertisements };
}

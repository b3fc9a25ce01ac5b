/**
 * Standard GATT numbers an armband exposes (Bluetooth Assigned Numbers, §3.4 services and
 * §3.8 characteristics). Web Bluetooth accepts these 16-bit aliases as plain numbers.
 */

/** Heart Rate service (Heart Rate Service 1.0). */
export const HEART_RATE_SERVICE = 0x180d;
/** Heart Rate Measurement characteristic: notify only. */
export const HEART_RATE_MEASUREMENT = 0x2a37;
/** Battery service (Battery Service 1.0). */
export const BATTERY_SERVICE = 0x180f;
/** Battery Level characteristic: uint8 percent. */
export const BATTERY_LEVEL = 0x2a19;
/** Device Information service (Device Information Service 1.1). */
export const DEVICE_INFORMATION_SERVICE = 0x180a;
/** Manufacturer Name String characteristic (utf8s). */
export const MANUFACTURER_NAME_STRING = 0x2a29;
/** Model Number String characteristic (utf8s). */
export const MODEL_NUMBER_STRING = 0x2a24;
/** Firmware Revision String characteristic (utf8s). */
export const FIRMWARE_REVISION_STRING = 0x2a26;

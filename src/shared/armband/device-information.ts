/**
 * The Device Information string characteristics (Manufacturer Name 0x2A29, Model Number 0x2A24,
 * Firmware Revision 0x2A26, …): utf8s values (Device Information Service 1.1 §3).
 */

const decoder = new TextDecoder('utf-8');

/** Decodes a utf8s value; some firmwares pad with NULs, which are trimmed. Invalid UTF-8 becomes U+FFFD. */
export function decodeDeviceInformationString(view: DataView): string {
  return decoder.decode(view).replace(/\0+$/, '');
}

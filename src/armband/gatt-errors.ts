/** True for a DOMException (or look-alike) with this `name`: how Web Bluetooth reports its errors. */
export function isDomError(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** An error's name and message, for the UI and the diagnostics line. */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message } = error as { name?: unknown; message: unknown };
    return typeof name === 'string' && name !== 'Error' ? `${name}: ${String(message)}` : String(message);
  }
  return String(error);
}

/** Runs a GATT lookup that may legitimately find nothing; null when the service or characteristic is absent or not allowed. */
export async function optional<T>(lookup: () => Promise<T>): Promise<T | null> {
  try {
    return await lookup();
  } catch (error) {
    // NotFoundError: the armband lacks it. SecurityError: not in optionalServices (or blocklisted).
    if (isDomError(error, 'NotFoundError') || isDomError(error, 'SecurityError')) return null;
    throw error;
  }
}

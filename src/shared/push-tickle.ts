/**
 * What a Web Push carries: only what to do and an id to deduplicate by — never health data
 * (the push service can read sizes and timing, and payloads are capped at 4 KB).
 */
export type PushTickleType = 'refresh' | 'sync' | 'message';

export interface PushTickle {
  type: PushTickleType;
  /** Unique per push; a repeat delivery with the same id is ignored. */
  id: string;
}

const TYPES: readonly PushTickleType[] = ['refresh', 'sync', 'message'];

/** Parses a push payload; null for anything that is not a tickle. */
export function parsePushTickle(text: string | null | undefined): PushTickle | null {
  if (!text || text.length > 1024) return null;
  try {
    const value = JSON.parse(text) as Partial<PushTickle>;
    if (!TYPES.includes(value.type as PushTickleType) || typeof value.id !== 'string' || value.id.length === 0 || value.id.length > 128)
      return null;
    return { type: value.type as PushTickleType, id: value.id };
  } catch {
    return null;
  }
}

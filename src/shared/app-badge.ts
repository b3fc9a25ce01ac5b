import type { PushTickle } from './push-tickle';

/** A stored message or read mark, as far as the unread count needs it. */
export interface BadgeDoc {
  id: string;
  body: Record<string, unknown>;
}

/** Unread messages: those with no `message-read` record holding a `readAt` (the page's rule, shared). */
export function unreadCount(messages: readonly BadgeDoc[], reads: readonly BadgeDoc[]): number {
  const read = new Set(reads.filter((r) => Boolean(r.body.readAt)).map((r) => r.id));
  return messages.filter((m) => !read.has(m.id)).length;
}

/**
 * Whether a push's sync run should refresh the app badge (https://w3c.github.io/badging/):
 * only when it brought something (records or a message), so a push that changed nothing leaves
 * the badge as the page last set it.
 */
export function badgeNeedsUpdate(
  tickle: PushTickle,
  pulled: { chunks: number; docs: Partial<Record<string, number>> } | undefined,
): boolean {
  if (tickle.type === 'message') return true;
  if (!pulled) return false;
  return pulled.chunks > 0 || Object.values(pulled.docs).some((count) => (count ?? 0) > 0);
}

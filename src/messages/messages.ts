import { signal } from '@preact/signals';
import { docsOfKind, saveDoc } from '../db/docs';
import { unreadCount } from '../shared/app-badge';

/** A message from the care team or the service, as the server writes it (kind `message`). */
export interface Message {
  id: string;
  text: string;
  from: string;
  createdAt: string;
  /** When any device of the account marked it read. */
  readAt: string | null;
}

/** Unread count, for the navigation badge. */
export const unreadMessages = signal(0);

/** All messages, newest first, with read state merged in from `message-read` records. */
export async function loadMessages(): Promise<Message[]> {
  const [messages, reads] = await Promise.all([docsOfKind('message'), docsOfKind('message-read')]);
  const readAt = new Map(reads.map((r) => [r.id, String(r.body.readAt ?? '')]));
  const list = messages
    .map((m) => ({
      id: m.id,
      text: String(m.body.text ?? ''),
      from: String(m.body.from ?? 'Steady'),
      createdAt: String(m.body.createdAt ?? new Date(m.updatedAt).toISOString()),
      readAt: readAt.get(m.id) || null,
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  unreadMessages.value = unreadCount(messages, reads);
  return list;
}

/** Marks a message read on this device; sync carries it to the account's other devices. */
export async function markRead(id: string): Promise<void> {
  await saveDoc('message-read', id, { readAt: new Date().toISOString() });
  await loadMessages();
}

import { useEffect, useState } from 'preact/hooks';
import { loadMessages, type Message, markRead } from '../messages/messages';
import { lastRun } from '../sync/sync-client';
import { ScreenHeader } from '../ui/screen-header';

/** Messages from the care team or the service; kept on the device, so readable offline. */
export function MessagesScreen() {
  const [messages, setMessages] = useState<Message[] | null>(null);
  const run = lastRun.value;
  useEffect(() => {
    void loadMessages().then(setMessages);
  }, [run]);
  return (
    <>
      <ScreenHeader title="Messages">From your care team and from Steady. Readable offline.</ScreenHeader>
      <section class="card" aria-label="Messages">
        {!messages ? (
          <p class="muted">Loading…</p>
        ) : messages.length === 0 ? (
          <p class="muted">No messages yet.</p>
        ) : (
          <ul class="list" data-testid="messages">
            {messages.map((message) => (
              <li key={message.id} class={`list-row message${message.readAt ? '' : ' unread'}`}>
                <div>
                  <div class="small muted">
                    {message.from} · {new Date(message.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
                  </div>
                  <p class="message-text">{message.text}</p>
                </div>
                {!message.readAt && (
                  <button
                    type="button"
                    class="button"
                    onClick={() => void markRead(message.id).then(() => loadMessages().then(setMessages))}
                  >
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

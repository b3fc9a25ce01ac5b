import { useLocation } from 'preact-iso';
import { unreadMessages } from '../messages/messages';

/** Screens in navigation order. Icons are inline SVG paths (24×24, stroke). */
export const SCREENS = [
  { path: '/', label: 'Today', icon: 'M3 12h4l2-5 4 10 2-5h6' },
  { path: '/check-in', label: 'Check-in', icon: 'M9 11l3 3 8-8M20 12v7a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h9' },
  { path: '/trends', label: 'Trends', icon: 'M4 19h16M6 15l4-5 4 3 5-7' },
  { path: '/messages', label: 'Messages', icon: 'M4 5h16v12H8l-4 4zM8 10h8M8 13h5' },
  { path: '/sync', label: 'Sync', icon: 'M20 11a8 8 0 0 0-14.9-3M4 4v4h4M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4' },
  {
    path: '/settings',
    label: 'Settings',
    icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
  },
] as const;

/** Bottom tab bar on phones, side rail on wide screens (see app.css). */
export function NavBar() {
  const { path } = useLocation();
  return (
    <nav class="nav" aria-label="Main">
      <div class="brand" aria-hidden="true">
        <img src="/icons/icon.svg" alt="" width="28" height="28" />
        <span>Steady</span>
      </div>
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen.path}>
            <a href={screen.path} aria-current={path === screen.path ? 'page' : undefined}>
              <svg viewBox="0 0 24 24" aria-hidden="true" width="24" height="24">
                <path d={screen.icon} />
              </svg>
              <span>{screen.label}</span>
              {screen.path === '/messages' && unreadMessages.value > 0 && (
                <span class="badge">
                  {unreadMessages.value}
                  <span class="visually-hidden"> unread</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

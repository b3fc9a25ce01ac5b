import type { ManifestOptions } from 'vite-plugin-pwa';

/** Shortcut icons: 96×96 PNGs rendered from the SVGs beside them (tests/tools/install-images.ts). */
const shortcutIcon = (name: string) => [{ src: `/icons/shortcut-${name}.png`, sizes: '96x96', type: 'image/png' }];

/** The web app manifest (https://www.w3.org/TR/appmanifest/), written by the build. */
export const manifest: Partial<ManifestOptions> = {
  id: '/',
  name: 'Steady — pacing by heart rate',
  short_name: 'Steady',
  description: 'Pace a chronic illness by heart rate: live armband readings, morning HRV, check-ins. Works offline.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  orientation: 'any',
  background_color: '#f6f8f7',
  theme_color: '#1f6f66',
  categories: ['health', 'medical', 'lifestyle'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // Long-press on the home-screen icon (https://w3c.github.io/manifest/#shortcuts-member).
  shortcuts: [
    { name: 'Check in', url: '/check-in', description: 'How you feel now: symptoms, sleep, a note', icons: shortcutIcon('check-in') },
    { name: 'Morning reading', url: '/measure', description: 'A guided 1–3 minute HRV reading', icons: shortcutIcon('reading') },
    { name: 'Rest mode', url: '/rest', description: 'A dark screen that stays on while the armband records', icons: shortcutIcon('rest') },
  ],
  // Real screenshots of the built app with the demo armband (tests/tools/install-images.ts);
  // Chrome's richer install sheet shows the narrow ones on phones and the wide one on desktops.
  screenshots: [
    {
      src: '/screenshots/today-narrow.png',
      sizes: '390x844',
      type: 'image/png',
      form_factor: 'narrow',
      label: 'Today: live heart rate and pacing',
    },
    {
      src: '/screenshots/rest-narrow.png',
      sizes: '390x844',
      type: 'image/png',
      form_factor: 'narrow',
      label: 'Rest mode: dark, calm, kept on',
    },
    { src: '/screenshots/today-wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide', label: 'Today on a desktop' },
  ],
  // A launch (a shortcut, a link) while Steady is open focuses that window rather than opening a
  // second one, which would fight the first over the armband; src/pwa/launch-queue.ts routes it.
  launch_handler: { client_mode: ['focus-existing', 'auto'] },
};

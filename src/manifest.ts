import type { ManifestOptions } from 'vite-plugin-pwa';

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
};

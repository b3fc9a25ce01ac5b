// Renders the images the install sheet shows, from the built app, in headless Chromium:
//   npm run build && npx tsx tests/tools/install-images.ts
// - public/icons/shortcut-*.png: 96×96, from the SVGs beside them;
// - public/screenshots/*.png: Today and rest mode at 390×844 (narrow) and Today at 1280×800
//   (wide), light theme, with the demo armband streaming (the same sizes as in src/manifest.ts).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer } from '../helpers/server';

const root = path.resolve(import.meta.dirname, '../..');
const icons = path.join(root, 'public/icons');
const screenshots = path.join(root, 'public/screenshots');

const server = await startTestServer({ staticDir: builtAppDir() });
const browser = await launchBrowser({ viewport: { width: 96, height: 96 } });
try {
  const { page } = browser;
  for (const svg of fs.readdirSync(icons).filter((name) => /^shortcut-.*\.svg$/.test(name))) {
    await page.goto(pathToFileURL(path.join(icons, svg)).href);
    await page.screenshot({ path: path.join(icons, svg.replace(/\.svg$/, '.png')), omitBackground: true });
  }

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: 'Try the demo armband' }).click();
  await page.getByTestId('live-bpm').filter({ hasText: /\d+/ }).waitFor({ timeout: 10_000 });
  // A minute of demo data gives the live chart a line worth showing.
  await page.waitForTimeout(60_000);
  const shoot = async (name: string) => {
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
  };
  await shoot('today-narrow');
  await page.setViewportSize({ width: 1280, height: 800 });
  await shoot('today-wide');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('rest-entry').click();
  await page
    .getByTestId('rest-bpm')
    .filter({ hasText: /^\d+ bpm$/ })
    .waitFor();
  await shoot('rest-narrow');
} finally {
  await browser.close();
  await server.dispose();
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from './server';

/** The index.html of the fake build. */
export const INDEX = '<!doctype html><title>Steady test shell</title>';

/** A stand-in for `dist/`: the files a build produces, with recognisable contents. */
export function fakeBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-static-'));
  const files: Record<string, string | Buffer> = {
    'index.html': INDEX,
    'sw.js': 'self.addEventListener("fetch", () => {});',
    'manifest.webmanifest': JSON.stringify({ name: 'Steady', start_url: '/' }),
    'assets/app-abc123.js': 'console.log("app");',
    'icons/icon-192.png': Buffer.from('89504e470d0a1a0a', 'hex'),
  };
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/** The real server serving a fake build; `dispose()` removes both. */
export async function serveFakeBuild(): Promise<TestServer> {
  const appDir = fakeBuild();
  const server = await startTestServer({ staticDir: appDir });
  return {
    ...server,
    async dispose() {
      await server.dispose();
      fs.rmSync(appDir, { recursive: true, force: true });
    },
  };
}

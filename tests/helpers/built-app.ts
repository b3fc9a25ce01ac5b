import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** A throwaway copy of the built app that a test may change, and how to delete it. */
export interface BuiltAppCopy {
  dir: string;
  dispose(): void;
}

/** Copies `dist/` to a temporary directory (the update test rewrites the copy's sw.js). */
export function copyBuiltApp(dist: string): BuiltAppCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-dist-'));
  fs.cpSync(dist, dir, { recursive: true });
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The path a stamped service worker answers with its build name (see `stampServiceWorker`). */
export const BUILD_MARKER_PATH = '/__steady-build';
/** The message a stamped service worker answers with its build name, on the port it was sent. */
const BUILD_QUESTION = 'steady-test-build?';

/**
 * Makes the copy's sw.js a distinct build named `build`: the bytes change (so the browser
 * installs it as an update) and the worker says which build it is, to a page it controls
 * (`GET /__steady-build`) and to any page that messages it (see `workerBuilds`). The listeners
 * run after Workbox's, which leaves unrouted requests and unknown messages alone.
 */
export function stampServiceWorker(dir: string, build: string): void {
  const file = path.join(dir, 'sw.js');
  const marker = '\n// steady-test-build\n';
  const original = fs.readFileSync(file, 'utf8').split(marker)[0];
  const name = JSON.stringify(build);
  const stamp = `(() => {
  self.addEventListener('fetch', (event) => {
    if (new URL(event.request.url).pathname === '${BUILD_MARKER_PATH}') event.respondWith(new Response(${name}));
  });
  self.addEventListener('message', (event) => {
    if (event.data === '${BUILD_QUESTION}') event.ports[0]?.postMessage(${name});
  });
})();
`;
  fs.writeFileSync(file, `${original}${marker}${stamp}`);
}

/** Which stamped build sits in each slot of the page's registration (null: slot empty). */
export interface WorkerBuilds {
  controller: string | null;
  active: string | null;
  waiting: string | null;
  /** What answered `GET /__steady-build`: the build that handles the page's requests. */
  servedBy: string;
}

/** Asks each worker of the page's registration which build it is. */
export function workerBuilds(page: Page): Promise<WorkerBuilds> {
  return page.evaluate(
    async ({ question, markerPath }) => {
      const ask = (worker: ServiceWorker | null | undefined) =>
        worker
          ? new Promise<string>((resolve, reject) => {
              const channel = new MessageChannel();
              const timer = setTimeout(() => reject(new Error(`a ${worker.state} worker did not say its build`)), 5_000);
              channel.port1.onmessage = (event) => {
                clearTimeout(timer);
                resolve(String(event.data));
              };
              worker.postMessage(question, [channel.port2]);
            })
          : Promise.resolve(null);
      const registration = await navigator.serviceWorker.getRegistration();
      return {
        controller: await ask(navigator.serviceWorker.controller),
        active: await ask(registration?.active),
        waiting: await ask(registration?.waiting),
        servedBy: await fetch(markerPath).then((response) => (response.ok ? response.text() : `HTTP ${response.status}`)),
      };
    },
    { question: BUILD_QUESTION, markerPath: BUILD_MARKER_PATH },
  );
}

/** The URLs of the precache manifest that the build injected into sw.js. */
export function precacheUrls(swSource: string): string[] {
  const urls = [...swSource.matchAll(/\{"revision":(?:null|"[0-9a-f]+"),"url":"([^"]+)"\}/g)].map((match) => match[1] as string);
  if (urls.length === 0) throw new Error('no precache manifest found in sw.js: was it built with injectManifest?');
  return urls;
}

/**
 * The scripts the first screen needs, as paths relative to `dist`: the module entry and
 * modulepreload links of index.html, and every chunk those import statically (followed
 * transitively). Dynamic `import()` chunks and Web Worker scripts load later and are left out.
 */
export function firstScreenScripts(dist: string): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const tags = html.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  const roots = tags
    .filter((tag) => (/^<script\b/.test(tag) ? /\btype="module"/.test(tag) : /\brel="modulepreload"/.test(tag)))
    .map((tag) => /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1])
    .filter((src): src is string => src !== undefined)
    .map((src) => src.replace(/^\//, ''));
  if (roots.length === 0) throw new Error('index.html loads no module script');
  const seen = new Set<string>();
  const queue = [...roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    const source = fs.readFileSync(path.join(dist, next), 'utf8');
    for (const specifier of staticImports(source)) queue.push(path.posix.join(path.posix.dirname(next), specifier));
  }
  return [...seen];
}

/** Specifiers of the import declarations a bundled ES module starts with (bundlers hoist them). */
function staticImports(source: string): string[] {
  const specifiers: string[] = [];
  const declaration = /^\s*import\s*(?:[\w$*{}\s,]*?from\s*)?["']([^"']+)["']\s*;?/;
  let rest = source;
  for (let match = declaration.exec(rest); match; match = declaration.exec(rest)) {
    specifiers.push(match[1] as string);
    rest = rest.slice(match[0].length);
  }
  return specifiers;
}

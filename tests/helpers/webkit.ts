import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Builder, type WebDriver, type WebElement } from 'selenium-webdriver';
import type { EngineDriver } from './engine-session';

/** WebKitGTK's driver and X server; `npm test` fails with this message rather than skip (.ci/run installs them). */
function executables(): { driver: string; xvfb: string } {
  const driver = process.env.WEBKIT_WEBDRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
  const xvfb = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';
  for (const [file, pkg] of [
    [driver, 'webkit2gtk-driver'],
    [xvfb, 'xvfb'],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${file} not found. WebKit tests need it: "apt-get install ${pkg}" (Debian).`);
  }
  return { driver, xvfb };
}

/** Session creation hangs forever when MiniBrowser cannot start (no display): give up after this. */
const SESSION_TIMEOUT_MS = 30_000;

export interface WebKitOptions {
  /** Turns on WebKit's Storage API (`navigator.storage`), off by default in WebKitGTK, on in Safari 17+. */
  storageApi?: boolean;
  /**
   * The POSIX locale MiniBrowser runs under (LANG and LC_ALL). WebKitGTK derives
   * navigator.language from it: `C.UTF-8` gives "C", which is not a language tag.
   */
  locale?: string;
}

/**
 * Debian's WebKitGTK (the Safari engine) through WebKitWebDriver and MiniBrowser, under an
 * Xvfb of its own on a display it picks (`-displayfd`), so `npm test` needs no wrapper
 * (browser-testing.md, "WebKit"). One driver process per session, on a free port.
 */
export async function launchWebKit(options: WebKitOptions = {}): Promise<EngineDriver> {
  const paths = executables();
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  };
  try {
    const display = await startXvfb(paths.xvfb, children);
    const port = await freePort();
    const driverProcess = spawn(paths.driver, [`--port=${port}`], {
      stdio: 'ignore',
      env: {
        ...process.env,
        DISPLAY: `:${display}`,
        ...(options.locale ? { LANG: options.locale, LC_ALL: options.locale } : {}),
      },
    });
    children.push(driverProcess);
    await waitForPort(port, driverProcess);
    // `args` replaces MiniBrowser's defaults, so --automation stays in it.
    const args = ['--automation', ...(options.storageApi ? ['--features=+StorageAPI,+StorageAPIEstimate'] : [])];
    const driver = await withTimeout(
      new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { args } })
        .build(),
      SESSION_TIMEOUT_MS,
      'WebKitWebDriver created no session',
    );
    return webKitDriver(driver, stop);
  } catch (error) {
    stop();
    throw error;
  }
}

function webKitDriver(driver: WebDriver, stop: () => void): EngineDriver {
  return {
    engine: 'webkit',
    goto: (url) => driver.get(url),
    reload: () => driver.navigate().refresh(),
    // W3C Execute Script awaits a returned promise.
    evaluate: (expression) => driver.executeScript(`return ${expression}`),
    async click(expression) {
      const element = await driver.executeScript<WebElement | null>(`return ${expression} ?? null`);
      if (!element) throw new Error(`nothing to click: ${expression}`);
      await element.click();
    },
    // WebKitWebDriver has no log endpoint; CSP violations come from engineSession's listener.
    consoleLines: () => null,
    async quit() {
      try {
        await driver.quit();
      } finally {
        stop();
      }
    },
  };
}

/** Starts Xvfb on a display it chooses itself and answers that display's number. */
function startXvfb(xvfb: string, children: ChildProcess[]): Promise<number> {
  const child = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      let text = '';
      let errors = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      child.stdio[3]?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(Number(text.trim()));
      });
      child.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors.slice(-500)}`)));
    }),
    10_000,
    'Xvfb reported no display',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until WebKitWebDriver accepts connections on `port`. */
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

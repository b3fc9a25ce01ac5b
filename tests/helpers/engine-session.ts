/**
 * One way to drive the built app in Chromium (Playwright), Firefox (puppeteer over WebDriver
 * BiDi) and WebKit (WebKitWebDriver), so the cross-engine scenario is written once. Each
 * launcher (chromium-engine.ts, firefox.ts, webkit.ts) gives an EngineDriver; engineSession
 * adds what every engine needs on top: evaluation of test functions and the CSP watch.
 */

export type Engine = 'chromium' | 'firefox' | 'webkit';

/** What a launcher provides. Expressions are JavaScript source evaluated in the page; promises are awaited. */
export interface EngineDriver {
  engine: Engine;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** A real click (the driver's input, not `element.click()`) on the element `expression` yields. */
  click(expression: string): Promise<void>;
  /** The console lines the engine reported so far (errors and warnings), or null where the driver cannot read them. */
  consoleLines(): string[] | null;
  quit(): Promise<void>;
}

export interface EngineSession {
  engine: Engine;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs `fn(arg)` in the page (its source crosses, so it may use only its argument) and answers its JSON result. */
  run<A, T>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /** Evaluates a JavaScript expression in the page (so the session is a `Page` for tests/helpers/app-db.ts). */
  evaluate(expression: string): Promise<unknown>;
  /** Clicks the first element matching `css` whose text contains `text`. */
  click(css: string, text?: string): Promise<void>;
  /** Console lines so far, or null where the engine's driver has no console (WebKitWebDriver). */
  consoleLines(): string[] | null;
  /** Content-Security-Policy violations seen so far; `close()` fails on any. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

const CSP_RECORDS = '__steadyCspViolations';

/**
 * Adds the `securitypolicyviolation` listener (https://w3c.github.io/webappsec-csp/#violation-events)
 * after each load and reads its records back before the next navigation: WebKitWebDriver has no
 * log endpoint, so this is how a WebKit violation is seen at all. A console line mentioning
 * Content Security Policy counts too, where the engine reports the console.
 */
export function engineSession(driver: EngineDriver): EngineSession {
  const violations: string[] = [];
  const watch = () =>
    driver.evaluate<void>(`(() => {
      if (globalThis.${CSP_RECORDS}) return;
      globalThis.${CSP_RECORDS} = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        globalThis.${CSP_RECORDS}.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' in ' + event.sourceFile + ':' + event.lineNumber);
      });
    })()`);
  const collect = async () => {
    const seen = await driver.evaluate<string[] | null>(`globalThis.${CSP_RECORDS} ?? null`).catch(() => null);
    if (seen) {
      violations.push(...seen.filter((line) => !violations.includes(line)));
      await driver.evaluate<void>(`globalThis.${CSP_RECORDS}.length = 0`);
    }
  };
  const fromConsole = () => (driver.consoleLines() ?? []).filter((line) => /Content[- ]Security[- ]Policy/i.test(line));
  return {
    engine: driver.engine,
    async goto(url) {
      await collect();
      await driver.goto(url);
      await watch();
    },
    async reload() {
      await collect();
      await driver.reload();
      await watch();
    },
    run: (fn, arg) => driver.evaluate(`(${String(fn)})(${JSON.stringify(arg)})`),
    evaluate: (expression) => driver.evaluate(expression),
    async click(css, text = '') {
      const find = `[...document.querySelectorAll(${JSON.stringify(css)})].find((element) => element.textContent.includes(${JSON.stringify(text)}))`;
      // Screens load lazily: wait for the element as a person waits for the screen to appear.
      const deadline = Date.now() + 10_000;
      while (!(await driver.evaluate<boolean>(`Boolean(${find})`))) {
        if (Date.now() > deadline) throw new Error(`no ${css} with "${text}" to click after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await driver.click(find);
    },
    consoleLines: () => driver.consoleLines(),
    async cspViolations() {
      await collect();
      return [...violations, ...fromConsole()];
    },
    async close() {
      const found = await this.cspViolations().catch(() => violations);
      await driver.quit();
      // The server's CSP is part of the app: whatever it blocked, the app needed and lost.
      if (found.length > 0) throw new Error(`Content-Security-Policy violations in ${driver.engine}:\n${found.join('\n')}`);
    },
  };
}

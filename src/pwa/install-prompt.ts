import { signal } from '@preact/signals';
import { choiceOf, type InstallChoice, parseInstallChoice, shouldOffer } from './install-offer';

/** BeforeInstallPromptEvent (https://wicg.github.io/manifest-incubations/), Chromium only, not in TypeScript's DOM lib. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const STORAGE_KEY = 'steady.install-choice';

/** True while "Install Steady" may show. */
export const installOffered = signal(false);

let deferred: BeforeInstallPromptEvent | null = null;

function storedChoice(): InstallChoice | null {
  try {
    return parseInstallChoice(localStorage.getItem(STORAGE_KEY));
  } catch {
    // Storage blocked (a privacy setting): a No could not be kept, so the offer would return on
    // every visit. Better never offered.
    return 'dismissed';
  }
}

function remember(choice: InstallChoice): void {
  deferred = null;
  installOffered.value = false;
  try {
    localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage blocked: the offer is hidden for this visit, which is all that can be done.
  }
}

/**
 * Takes the browser's install prompt for the calm offer on Today instead of its own banner, and
 * notices an install however it happened. Listen from the start: the event fires once, early.
 */
export function watchInstallPrompt(lifetime: AbortSignal): void {
  addEventListener(
    'beforeinstallprompt',
    (event) => {
      // Keeps the browser's mini-infobar away: Steady offers in one calm place, or not at all.
      event.preventDefault();
      deferred = event as BeforeInstallPromptEvent;
      installOffered.value = shouldOffer(storedChoice(), true, matchMedia('(display-mode: standalone)').matches);
    },
    { signal: lifetime },
  );
  addEventListener('appinstalled', () => remember('installed'), { signal: lifetime });
}

/** Shows the browser's install dialog, and remembers the answer either way. */
export async function install(): Promise<void> {
  const prompt = deferred;
  if (!prompt) return;
  await prompt.prompt();
  remember(choiceOf((await prompt.userChoice).outcome));
}

/** "No thanks": never offered again on this device. */
export function dismissInstall(): void {
  remember('dismissed');
}

/**
 * Whether to offer "Install Steady", as a pure rule. The offer is never a nag: it needs the
 * browser's install prompt, and once the person has said no (to the offer or to the browser's
 * dialog) or installed Steady, it never shows again on this device.
 */

/** What the person decided, kept on this device. */
export type InstallChoice = 'dismissed' | 'installed';

const CHOICES: readonly string[] = ['dismissed', 'installed'] satisfies InstallChoice[];

/** The stored choice, or null when there is none (or it is not one we wrote). */
export function parseInstallChoice(stored: string | null): InstallChoice | null {
  return stored !== null && CHOICES.includes(stored) ? (stored as InstallChoice) : null;
}

/** True when the offer may show: the browser can prompt, Steady is not installed, nothing decided. */
export function shouldOffer(choice: InstallChoice | null, promptAvailable: boolean, standalone: boolean): boolean {
  return promptAvailable && !standalone && choice === null;
}

/** The choice the browser dialog's outcome (BeforeInstallPromptEvent.userChoice) stands for. */
export function choiceOf(outcome: 'accepted' | 'dismissed'): InstallChoice {
  return outcome === 'accepted' ? 'installed' : 'dismissed';
}

import { describe, expect, it } from 'vitest';
import { choiceOf, type InstallChoice, parseInstallChoice, shouldOffer } from '../../src/pwa/install-offer';

describe('the install offer', () => {
  it.each<[InstallChoice | null, boolean, boolean, boolean]>([
    [null, true, false, true],
    [null, false, false, false],
    [null, true, true, false],
    ['dismissed', true, false, false],
    ['installed', true, false, false],
  ])('choice %s, prompt %s, standalone %s: offered %s', (choice, prompt, standalone, offered) => {
    expect(shouldOffer(choice, prompt, standalone)).toBe(offered);
  });

  it('reads back only the choices it writes', () => {
    expect([null, 'dismissed', 'installed', '', 'later', 'Dismissed'].map(parseInstallChoice)).toEqual([
      null,
      'dismissed',
      'installed',
      null,
      null,
      null,
    ]);
  });

  it("takes a no in the browser's own dialog as a no for good", () => {
    expect(choiceOf('accepted')).toBe('installed');
    expect(choiceOf('dismissed')).toBe('dismissed');
  });
});

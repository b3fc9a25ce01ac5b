/** Bumped with each release; Settings shows it. */
export const APP_VERSION = '0.1.0';

/** Bumped with each release; the server reports it at `/api/health`. */
export const APP_VERSION = '0.1.0';

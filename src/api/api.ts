import { apiCaller } from '../shared/http-client';

/** The page's API calls, by route name (src/shared/routes.ts): same origin, the page's own `fetch`. */
export const api = apiCaller((input, init) => fetch(input, init), '');

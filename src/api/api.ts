import { type ApiCall, callApi } from '../shared/http-client';

/** The page's API calls: same origin, the page's own `fetch`. */
export function api<T>(call: ApiCall): Promise<T> {
  return callApi<T>((input, init) => fetch(input, init), '', call);
}

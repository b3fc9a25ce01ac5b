// Compiled by every config whose runtime has no DOM (shared, Web Workers, service worker,
// server) and by none that has one. Should DOM types leak into one of those compiles (a JSX
// runtime, a stray lib or `types` entry), the lines below would type-check, their
// expect-error directives would go unused, and that config's typecheck would fail.

// @ts-expect-error: there is no `document` outside the page
export const probeDocument = document;
// @ts-expect-error: a worker's location cannot reload, and the server has none
export const probeReload = location.reload;

/**
 * The default of every switch over a message union: a message type added to the union without
 * a case fails to compile here, and one that arrives anyway (an older worker) is reported.
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}

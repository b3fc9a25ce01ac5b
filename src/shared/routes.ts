import type {
  CreateAccountRequest,
  CreateAccountResponse,
  CreatePairingCodeResponse,
  HealthResponse,
  JoinAccountRequest,
  JoinAccountResponse,
  ListDevicesResponse,
  PushKeyResponse,
  PushSubscriptionRequest,
  PushSubscriptionStateResponse,
} from './api';
import { BACKUP_ID_PATTERN, BACKUP_MEDIA_TYPE, type BackupInfo, type ListBackupsResponse, type StoredBackupResponse } from './backup';
import { BATCH_ID_PATTERN, type ReadingsResponse, SYNC_MEDIA_TYPE, type UploadBatchResponse } from './sync/protocol';

/**
 * Every route of the HTTP API, defined once: its method, path (Fastify syntax, `:param`),
 * whether it needs a device token, and the JSON schemas the server validates with. The server
 * registers each route from here (server/routes/route.ts) and the app calls it by name
 * (http-client.ts `callApi`), so a path or a schema cannot drift between the two.
 */

/**
 * Every path of the API starts with this: the service worker never caches under it and the
 * server never answers it with the app shell.
 */
export const API_PREFIX = '/api/';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS';

/** JSON schemas, as Fastify's `schema` option takes them. */
export interface RouteSchema {
  body?: object;
  params?: object;
  querystring?: object;
}

export interface RouteSpec {
  /** Several for tus, whose one handler serves an upload's HEAD, PATCH and DELETE. */
  method: HttpMethod | readonly HttpMethod[];
  path: `${typeof API_PREFIX}${string}`;
  /** Needs `Authorization: Bearer <device token>`. */
  auth: boolean;
  /** Media type of a body that is not JSON (a sync batch, an archive, tus chunks): no JSON body schema then. */
  mediaType?: string;
  schema?: RouteSchema;
}

const deviceName = { type: 'string', minLength: 1, maxLength: 80 } as const;
const base64url = { type: 'string', maxLength: 256 } as const;
/** The tus endpoint: uploads are created on it and each lives at `<endpoint>/<id>`. */
const TUS_ENDPOINT = '/api/uploads';
const backupIdParams = { type: 'object', properties: { id: { type: 'string', pattern: BACKUP_ID_PATTERN } } } as const;

/** The table. Keys are the names the app and the rate limits (server/rate-limit/rules.ts) use. */
export const ROUTES = {
  health: { method: 'GET', path: '/api/health', auth: false },
  createAccount: {
    method: 'POST',
    path: '/api/accounts',
    auth: false,
    schema: { body: { type: 'object', additionalProperties: false, properties: { name: deviceName } } },
  },
  deleteAccount: { method: 'DELETE', path: '/api/accounts/me', auth: true },
  createPairingCode: { method: 'POST', path: '/api/pairing-codes', auth: true },
  joinDevice: {
    method: 'POST',
    path: '/api/devices',
    auth: false,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['pairingCode', 'name'],
        properties: { pairingCode: { type: 'string', maxLength: 40 }, name: deviceName },
      },
    },
  },
  listDevices: { method: 'GET', path: '/api/devices', auth: true },
  revokeDevice: {
    method: 'DELETE',
    path: '/api/devices/:id',
    auth: true,
    schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } },
  },
  pushKey: { method: 'GET', path: '/api/push/key', auth: false },
  getPushSubscription: { method: 'GET', path: '/api/push/subscription', auth: true },
  putPushSubscription: {
    method: 'PUT',
    path: '/api/push/subscription',
    auth: true,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['endpoint', 'keys'],
        properties: {
          endpoint: { type: 'string', maxLength: 4096 },
          expirationTime: { type: ['number', 'null'] },
          keys: {
            type: 'object',
            additionalProperties: false,
            required: ['p256dh', 'auth'],
            properties: { p256dh: base64url, auth: base64url },
          },
          keyId: { type: 'string', maxLength: 64 },
        },
      },
    },
  },
  deletePushSubscription: { method: 'DELETE', path: '/api/push/subscription', auth: true },
  uploadBatch: {
    method: 'PUT',
    path: '/api/sync/batches/:batchId',
    auth: true,
    mediaType: SYNC_MEDIA_TYPE,
    schema: { params: { type: 'object', properties: { batchId: { type: 'string', pattern: BATCH_ID_PATTERN } } } },
  },
  pullChanges: {
    method: 'GET',
    path: '/api/sync/changes',
    auth: true,
    mediaType: SYNC_MEDIA_TYPE,
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { cursor: { type: 'string', maxLength: 64 }, limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
      },
    },
  },
  readings: {
    method: 'GET',
    path: '/api/readings',
    auth: true,
    schema: {
      querystring: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          cursor: { type: 'string', maxLength: 400 },
        },
      },
    },
  },
  uploadBackup: { method: 'POST', path: '/api/backups', auth: true, mediaType: BACKUP_MEDIA_TYPE },
  cancelBackupUpload: { method: 'DELETE', path: '/api/backups/:id/upload', auth: true, schema: { params: backupIdParams } },
  listBackups: { method: 'GET', path: '/api/backups', auth: true },
  exportBackup: { method: 'GET', path: '/api/backups/export', auth: true, mediaType: BACKUP_MEDIA_TYPE },
  storeExport: { method: 'POST', path: '/api/backups/export', auth: true },
  deleteBackup: { method: 'DELETE', path: '/api/backups/:id', auth: true, schema: { params: backupIdParams } },
  downloadBackup: {
    method: 'GET',
    path: '/api/backups/:id',
    auth: true,
    mediaType: BACKUP_MEDIA_TYPE,
    schema: { params: backupIdParams },
  },
  // tus 1.0.0 (https://tus.io/protocols/resumable-upload): creation on the endpoint, the rest on an upload's URL.
  tusCreate: { method: 'POST', path: TUS_ENDPOINT, auth: true, mediaType: 'application/offset+octet-stream' },
  tusUpload: {
    method: ['HEAD', 'PATCH', 'DELETE'],
    path: `${TUS_ENDPOINT}/:id`,
    auth: true,
    mediaType: 'application/offset+octet-stream',
  },
  // CORS preflights carry no credentials, on the endpoint and every upload URL alike.
  tusOptions: { method: 'OPTIONS', path: `${TUS_ENDPOINT}*`, auth: false },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/**
 * What crosses the network on each route, by the same names: `params`, `query` and `body` when
 * the route has them, and `response`, the JSON answer (`undefined` for 204; raw
 * bodies are read by their callers, so `unknown` there).
 */
export interface RouteTypes {
  health: { response: HealthResponse };
  createAccount: { body?: CreateAccountRequest; response: CreateAccountResponse };
  deleteAccount: { response: undefined };
  createPairingCode: { response: CreatePairingCodeResponse };
  joinDevice: { body: JoinAccountRequest; response: JoinAccountResponse };
  listDevices: { response: ListDevicesResponse };
  revokeDevice: { params: { id: string }; response: undefined };
  pushKey: { response: PushKeyResponse };
  getPushSubscription: { response: PushSubscriptionStateResponse };
  putPushSubscription: { body: PushSubscriptionRequest; response: PushSubscriptionStateResponse };
  deletePushSubscription: { response: undefined };
  uploadBatch: { params: { batchId: string }; body: Uint8Array; response: UploadBatchResponse };
  pullChanges: { query: { cursor?: string; limit?: string }; response: unknown };
  readings: { query: { from: string; to: string; cursor?: string }; response: ReadingsResponse };
  uploadBackup: { body: Uint8Array; response: StoredBackupResponse };
  cancelBackupUpload: { params: { id: string }; response: undefined };
  listBackups: { response: ListBackupsResponse };
  exportBackup: { response: unknown };
  storeExport: { response: BackupInfo };
  deleteBackup: { params: { id: string }; response: undefined };
  downloadBackup: { params: { id: string }; response: unknown };
  tusCreate: { response: unknown };
  tusUpload: { params: { id: string }; response: unknown };
  tusOptions: { response: unknown };
}

/** The table and the types name the same routes: a route added to one only fails to compile. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
export const ROUTE_TYPES_MATCH: SameKeys<typeof ROUTES, RouteTypes> = true;

export type ParamsOf<K extends RouteName> = RouteTypes[K] extends { params: infer P } ? P : undefined;
export type QueryOf<K extends RouteName> = RouteTypes[K] extends { query: infer Q } ? Q : undefined;
export type BodyOf<K extends RouteName> = RouteTypes[K] extends { body?: infer B } ? B : undefined;
export type ResponseOf<K extends RouteName> = RouteTypes[K]['response'];

/** The methods a route answers, as a list. */
export function methodsOf(name: RouteName): readonly HttpMethod[] {
  const { method } = ROUTES[name] as RouteSpec;
  return typeof method === 'string' ? [method] : method;
}

/** A route's path with its `:params` filled in, each URL-encoded (an id cannot add a path segment). */
export function pathOf(name: RouteName, params: Readonly<Record<string, string>> = {}): string {
  return ROUTES[name].path.replace(/:([A-Za-z]+)/g, (_, param: string) => {
    const value = params[param];
    if (value === undefined) throw new Error(`${name}: params.${param} is missing`);
    return encodeURIComponent(value);
  });
}

/** `path?query`, leaving out query fields that are undefined. */
export function urlOf(
  name: RouteName,
  params?: Readonly<Record<string, string>>,
  query?: Readonly<Record<string, string | undefined>>,
): string {
  const path = pathOf(name, params);
  // By hand: URLSearchParams is not among the globals every runtime shares (src/types/neutral-globals.d.ts).
  const pairs = Object.entries(query ?? {}).flatMap(([key, value]) =>
    value === undefined ? [] : [`${encodeURIComponent(key)}=${encodeURIComponent(value)}`],
  );
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, HealthResponse } from '../../src/shared/api';
import { startTestServer, type TestServer } from '../helpers/server';

const BODY_LIMIT = 2048;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
});
afterAll(async () => {
  await server.dispose();
});

async function health(): Promise<Response> {
  return fetch(`${server.url}/api/health`);
}

/** POSTs raw bytes to the account route, which takes a small JSON body. */
async function postAccount(body: BodyInit | undefined, contentType?: string): Promise<{ status: number; body: ApiErrorBody }> {
  const response = await fetch(`${server.url}/api/accounts`, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as ApiErrorBody };
}

describe('request bodies', () => {
  // Every rejected body must leave the server answering: nothing may crash or wedge it.
  afterEach(async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(((await response.json()) as HealthResponse).status).toBe('ok');
  });

  it('accepts a JSON body just under the limit', async () => {
    // Padding in the name would fail validation first, so pad with JSON whitespace instead.
    const json = JSON.stringify({ name: 'phone' });
    const body = json.padEnd(BODY_LIMIT - 1, ' ');
    const { status } = await postAccount(body, 'application/json');
    expect(status).toBe(201);
  });

  it('answers 413 for a JSON body over BODY_LIMIT_BYTES', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) });
    const answer = await postAccount(body, 'application/json');
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });

  it('answers 413 for a streamed body over the limit that announced no length', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) }));
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    // Node's fetch needs `duplex` to stream a request body (chunked, without content-length).
    const response = await fetch(`${server.url}/api/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
  ])('answers 415 for a %s body', async (_label, contentType) => {
    const answer = await postAccount('{"name":"phone"}', contentType);
    expect(answer.status).toBe(415);
    expect(answer.body.code).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');
    expect(answer.body.message).toContain('application/json');
    expect(answer.body.message).toContain(contentType.split(';')[0]);
  });

  it('answers 415 for a body sent without a content type', async () => {
    // A Uint8Array body makes fetch send no content-type at all.
    const answer = await postAccount(new TextEncoder().encode('{"name":"phone"}'));
    expect(answer.status).toBe(415);
    expect(answer.body.code).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');
  });

  it('answers 400 saying where malformed JSON broke', async () => {
    const answer = await postAccount('{"name": "phone",}', 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('MALFORMED_JSON');
    expect(answer.body.message).toMatch(/^body is not valid JSON: .+/);
    expect(answer.body.message).toMatch(/position|column|token|expected/i);
  });

  it.each([[''], ['   \n']])('answers 400 for the empty JSON body %j', async (body) => {
    const answer = await postAccount(body, 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('EMPTY_JSON_BODY');
    expect(answer.body.message).toContain('empty');
  });

  it.each([
    ['{"__proto__":{"admin":true}}'],
    ['{"constructor":{"prototype":{"admin":true}}}'],
    ['{"name":"x","nested":{"__proto__":{"a":1}}}'],
  ])('answers 400 for the prototype pollution attempt %s', async (body) => {
    const answer = await postAccount(body, 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('MALFORMED_JSON');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers 400 naming the field for a body that breaks the schema', async () => {
    const answer = await postAccount(JSON.stringify({ name: 42 }), 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION');
    expect(answer.body.message).toContain('name');
  });
});

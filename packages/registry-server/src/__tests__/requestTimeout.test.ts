import { afterEach, describe, expect, it } from 'vitest';
import { anonymous, type Authenticator, type Principal } from '../auth/types.js';
import { API, json, startExampleServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startExampleServer>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('--request-timeout', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 504 with a Status when a list waits too long on visibility (a slow SubjectAccessReview)', async () => {
    const slow: Principal = {
      ...anonymous,
      id: 'slow',
      visibleNamespaces: async () => {
        await sleep(2000);
        return undefined;
      },
    };
    const authenticator: Authenticator = {
      mode: 'token',
      authenticate: async (token) => (token ? slow : undefined),
      close: async () => undefined,
    };
    server = await startExampleServer({ authenticator, requestTimeoutMs: 100 });
    const started = Date.now();
    const response = await server.get(`${API}/cards`, {
      headers: { authorization: 'Bearer anything-at-all' },
    });
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await json(response)).toMatchObject({
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      code: 504,
      reason: 'Timeout',
    });
    // Public probes do not wait on the principal.
    expect((await server.get('/healthz')).status).toBe(200);
  });

  it('answers 504 on any route when Kubernetes authentication hangs (a slow TokenReview)', async () => {
    const authenticator: Authenticator = {
      mode: 'kubernetes',
      authenticate: async () => {
        await sleep(2000);
        return anonymous;
      },
      close: async () => undefined,
    };
    server = await startExampleServer({ authenticator, requestTimeoutMs: 100 });
    const response = await server.get(`${API}/cards/team-data/sql-analyst`, {
      headers: { authorization: 'Bearer anything-at-all' },
    });
    expect(response.status).toBe(504);
    expect((await json(response)).reason).toBe('Timeout');
  });
});

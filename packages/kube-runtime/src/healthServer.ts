import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServerOptions {
  host: string;
  port: number;
  /** What /metrics serves; a prom-client Registry fits as it is. Without it /metrics answers 404. */
  registry?: MetricsSource;
  /** Liveness: false only when the process is wedged. */
  isAlive: () => boolean;
  /** Readiness: informer caches synced. Returns a reason when not ready. */
  readiness: () => { ready: boolean; reason?: string };
}

/** A Prometheus text exposition (prom-client's Registry has this shape). */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** `/healthz` (`/livez`), `/readyz` and `/metrics` on one small HTTP server, like controller-runtime's probe and metrics endpoints. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      response.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (path === '/healthz' || path === '/livez') {
      return options.isAlive() ? send(200, 'ok\n') : send(503, 'not alive\n');
    }
    if (path === '/readyz') {
      const { ready, reason } = options.readiness();
      return ready ? send(200, 'ok\n') : send(503, `not ready: ${reason ?? 'starting'}\n`);
    }
    const { registry } = options;
    if (path === '/metrics' && registry) {
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
        (error: unknown) => send(500, `metrics failed: ${String(error)}\n`),
      );
      return;
    }
    send(404, 'not found\n');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

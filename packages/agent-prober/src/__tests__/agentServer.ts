/* Real HTTP servers on 127.0.0.1 for the prober's tests: an agent serving its card, and one that never answers. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const VALID_A2A_CARD = (url: string) => ({
  protocolVersion: '0.3.0',
  name: 'probe-target',
  description: 'An agent for health probes',
  url,
  preferredTransport: 'JSONRPC',
  version: '1.0.0',
  capabilities: { streaming: false },
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [{ id: 'echo', name: 'Echo', description: 'Echoes', tags: ['test'] }],
});

export interface TestServer {
  url: string;
  /** Requests received. */
  requests(): number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<TestServer & { countRequest(): void }> {
  let requests = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    countRequest: () => (requests += 1),
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An agent serving `body(url)` as JSON (or a string as is) at /.well-known/agent-card.json; 404 elsewhere. */
export async function startAgentServer(
  body: (url: string) => unknown = VALID_A2A_CARD,
  status = 200,
): Promise<TestServer> {
  let url = '';
  let count = (): void => undefined;
  const server = createServer((request, response) => {
    count();
    if (request.url !== '/.well-known/agent-card.json') {
      response.writeHead(404).end();
      return;
    }
    const value = body(url);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof value === 'string' ? value : JSON.stringify(value));
  });
  const listening = await listen(server);
  url = listening.url;
  count = listening.countRequest;
  return listening;
}

/** Accepts requests and never answers. */
export async function startHangingServer(): Promise<TestServer> {
  let count = (): void => undefined;
  const server = createServer(() => count()); // never responds
  const listening = await listen(server);
  count = listening.countRequest;
  return listening;
}

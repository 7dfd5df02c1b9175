import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamingServer {
  /** `http://127.0.0.1:<port>`: every path answers the same stream. */
  url: string;
  /** Bytes written so far: how far a reader that stopped early let the server get. */
  sent(): number;
  close(): Promise<void>;
}

/**
 * A real server streaming `chunks` × `chunkBytes` of JSON white space without a content-length
 * (chunked encoding), honouring backpressure: for tests of readers that must stop at a bound.
 */
export async function startStreamingServer(chunks: number, chunkBytes: number): Promise<StreamingServer> {
  let sent = 0;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    let left = chunks;
    const write = (): void => {
      while (left > 0) {
        left -= 1;
        sent += chunkBytes;
        if (!response.write(chunk)) {
          response.once('drain', write);
          return;
        }
      }
      response.end();
    };
    write();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createHttpRegistryReader } from '@agent-registry/registry-client';
import { createRegistryMcpServer } from './registryMcpServer.js';

export interface ServeOptions {
  registryUrl: string;
  token?: string;
  publicUrl?: string;
  log: (message: string) => void;
}

/**
 * Serves the registry at `registryUrl` as an MCP server on stdin/stdout until
 * stdin closes or a termination signal arrives. Resolves when it has stopped.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const reader = createHttpRegistryReader(options.registryUrl, {
    token: options.token,
    onError: (error) => options.log(error.message),
  });
  const server = createRegistryMcpServer(reader, { publicUrl: options.publicUrl ?? options.registryUrl });
  const transport = new StdioServerTransport();

  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      reader.close();
      resolve();
    };
    const previousOnClose = server.server.onclose;
    server.server.onclose = () => {
      previousOnClose?.();
      stop();
    };
    // The SDK's stdio transport does not notice end of input by itself.
    process.stdin.once('end', () => void server.close());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());
  });

  await server.connect(transport);
  options.log(`serving ${options.registryUrl} over stdio`);
  await stopped;
}

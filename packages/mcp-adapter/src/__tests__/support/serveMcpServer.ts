import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { serveWeb, type RunningServer } from './webServer.js';

/** Serves one MCP server for one client over Streamable HTTP at `${url}/mcp`. */
export async function serveMcpServer(server: McpServer): Promise<RunningServer> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: randomUUID });
  await server.connect(transport);
  const running = await serveWeb((request) => transport.handleRequest(request));
  return {
    ...running,
    async close() {
      await server.close();
      await running.close();
    },
  };
}

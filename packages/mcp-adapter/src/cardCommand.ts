import type { A2AVersion } from '@agent-registry/crds';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { stringify } from 'yaml';
import { cardFromMcpServer } from './cardFromMcpServer.js';
import { splitCommandLine } from './splitCommandLine.js';
import { ADAPTER_VERSION } from './version.js';

export interface CardCommandOptions {
  /** Streamable HTTP URL of the MCP server; or `command` for a stdio server. */
  mcpUrl?: string;
  command?: string;
  /** HTTP headers for the MCP server (`Name: value`). */
  headers: string[];
  /** The endpoint written into the card; defaults to `mcpUrl`. */
  url?: string;
  name: string;
  namespace?: string;
  description?: string;
  a2aVersion?: A2AVersion;
  log: (message: string) => void;
}

/** Connects to an MCP server and returns its AgentCard manifest as YAML. */
export async function mcpServerCardYaml(options: CardCommandOptions): Promise<string> {
  const client = new Client({ name: 'agent-registry-mcp', version: ADAPTER_VERSION });
  const target = options.mcpUrl ?? `command ${JSON.stringify(options.command)}`;
  try {
    await client.connect(transportFor(options));
  } catch (error) {
    throw new Error(`could not connect to the MCP server at ${target}: ${describe(error)}`, { cause: error });
  }
  try {
    const { card, warnings } = await cardFromMcpServer(client, {
      name: options.name,
      namespace: options.namespace,
      url: options.url ?? options.mcpUrl,
      description: options.description,
      a2aVersion: options.a2aVersion,
    });
    for (const warning of warnings) options.log(`warning: ${warning}`);
    return stringify(card, { lineWidth: 0, aliasDuplicateObjects: false });
  } finally {
    await client.close();
  }
}

function transportFor(options: CardCommandOptions): Transport {
  if (options.command) {
    const [command, ...args] = splitCommandLine(options.command);
    if (!command) throw new TypeError('--command must not be empty');
    return new StdioClientTransport({ command, args, stderr: 'inherit' });
  }
  if (!options.mcpUrl) throw new TypeError('give --mcp-url URL or --command "cmd args"');
  return new StreamableHTTPClientTransport(new URL(options.mcpUrl), {
    requestInit: { headers: parseHeaders(options.headers) },
  });
}

function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new TypeError(`--header ${JSON.stringify(line)} must look like "Name: value"`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

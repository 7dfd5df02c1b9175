#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseA2AVersion } from '@agent-registry/crds';
import { mcpServerCardYaml } from './cardCommand.js';
import { serveStdio } from './serveCommand.js';
import { ADAPTER_VERSION } from './version.js';

const USAGE = `Usage:
  agent-registry-mcp [serve] --registry-url URL [--token T] [--public-url URL]
      Serve the Agent Registry at URL as an MCP server over stdio (for desktop MCP clients).
      Env: AGENT_REGISTRY_URL, AGENT_REGISTRY_TOKEN.

  agent-registry-mcp card (--mcp-url URL | --command "cmd args") --name NAME
      [--namespace NS] [--url ENDPOINT] [--description TEXT] [--a2a-version 0.3|1.0] [--header "Name: value"]...
      Print the AgentCard manifest (YAML) describing an MCP server, ready for kubectl apply.

  agent-registry-mcp --help | --version

Logs go to stderr; stdout carries only the MCP protocol (serve) or the manifest (card).`;

class UsageError extends Error {}

const log = (message: string) => process.stderr.write(`agent-registry-mcp: ${message}\n`);

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'card') return card(rest);
  if (first === 'serve') return serve(rest);
  return serve(argv);
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'registry-url': { type: 'string' },
      token: { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return printed(USAGE);
  if (values.version) return printed(ADAPTER_VERSION);
  const registryUrl = values['registry-url'] ?? process.env.AGENT_REGISTRY_URL;
  if (!registryUrl) throw new UsageError('--registry-url URL (or AGENT_REGISTRY_URL) is required');
  requireHttpUrl('--registry-url', registryUrl);
  if (values['public-url']) requireHttpUrl('--public-url', values['public-url']);
  await serveStdio({
    registryUrl,
    token: values.token ?? process.env.AGENT_REGISTRY_TOKEN,
    publicUrl: values['public-url'],
    log,
  });
  return 0;
}

async function card(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'mcp-url': { type: 'string' },
      command: { type: 'string' },
      header: { type: 'string', multiple: true },
      url: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      description: { type: 'string' },
      'a2a-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return printed(USAGE);
  if (!values.name) throw new UsageError('--name NAME is required');
  if (Boolean(values['mcp-url']) === Boolean(values.command)) {
    throw new UsageError('give exactly one of --mcp-url URL and --command "cmd args"');
  }
  if (values['mcp-url']) requireHttpUrl('--mcp-url', values['mcp-url']);
  if (values.url) requireHttpUrl('--url', values.url);
  const requested = values['a2a-version'];
  const parsedVersion = requested === undefined ? undefined : parseA2AVersion(requested);
  if (parsedVersion && !parsedVersion.ok) throw new UsageError(`--a2a-version ${parsedVersion.reason}`);
  const a2aVersion = parsedVersion?.ok ? parsedVersion.version : undefined;
  const yaml = await mcpServerCardYaml({
    mcpUrl: values['mcp-url'],
    command: values.command,
    headers: values.header ?? [],
    url: values.url,
    name: values.name,
    namespace: values.namespace,
    description: values.description,
    a2aVersion,
    log,
  });
  process.stdout.write(yaml);
  return 0;
}

function requireHttpUrl(flag: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

function printed(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    log(error instanceof Error ? error.message : String(error));
    if (usage) log('run with --help for usage');
    process.exitCode = usage ? 2 : 1;
  },
);

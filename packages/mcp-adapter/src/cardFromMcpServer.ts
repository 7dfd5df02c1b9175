import {
  AGENT_CARD_API_VERSION,
  AGENT_CARD_KIND,
  DEFAULT_A2A_VERSION,
  isDns1123Label,
  isDns1123Subdomain,
  limits,
  parseAgentCard,
  type A2AVersion,
  type AgentCard,
  type Skill,
} from '@agent-registry/crds';
import { toA2ACard } from '@agent-registry/a2a-translator';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Implementation, Prompt, Tool } from '@modelcontextprotocol/sdk/types.js';

export interface CardFromMcpServerOptions {
  /** `metadata.name` of the AgentCard (a DNS-1123 subdomain). */
  name: string;
  /** `metadata.namespace`; omitted from the manifest when not given. */
  namespace?: string;
  /** The MCP server's URL, the card's endpoint. A stdio server has none; the card then has no endpoint. */
  url?: string;
  /** Wins over the server's own description and instructions. */
  description?: string;
  a2aVersion?: A2AVersion;
  /** Most pages of tools (and of prompts) read before giving up (default 100). */
  maxPages?: number;
}

export interface McpServerCard {
  /** An AgentCard resource whose `spec.publicCard` is the rendered A2A card. */
  card: AgentCard;
  /** What had to be filled in or dropped, for a person to review. */
  warnings: string[];
}

/** Label on cards made from MCP servers, for `labelSelector` queries. */
export const MCP_PROTOCOL_LABEL = 'agent-registry.dev/protocol';
/** Annotations recording which MCP server a card describes. */
export const MCP_SERVER_NAME_ANNOTATION = 'agent-registry.dev/mcp-server-name';
export const MCP_SERVER_VERSION_ANNOTATION = 'agent-registry.dev/mcp-server-version';

/** The custom A2A transport (protocol binding) name the card declares for its MCP endpoint. */
export const MCP_TRANSPORT = 'MCP';

/**
 * Describes a connected MCP server as an AgentCard (the design's `MCPAgent`),
 * so it can be listed in the registry beside A2A agents: each tool becomes a
 * skill (id = tool name, tagged `mcp-tool` plus its behaviour hints), each
 * prompt a skill `prompt:<name>` tagged `mcp-prompt`, and the server's
 * identity the card's description and version.
 *
 * Throws for invalid options and when the client is not connected; MCP
 * request failures propagate as the SDK raises them.
 */
export async function cardFromMcpServer(
  client: Client,
  options: CardFromMcpServerOptions,
): Promise<McpServerCard> {
  checkOptions(options);
  const server = client.getServerVersion();
  if (!server) throw new Error('the MCP client is not connected: call client.connect(transport) first');
  const maxPages = options.maxPages ?? 100;
  const warnings: string[] = [];

  const tools = await collectPages(
    'tools',
    maxPages,
    async (cursor) => {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      return { items: page.tools, nextCursor: page.nextCursor };
    },
    warnings,
  );
  const prompts = client.getServerCapabilities()?.prompts
    ? await collectPages(
        'prompts',
        maxPages,
        async (cursor) => {
          const page = await client.listPrompts(cursor ? { cursor } : undefined);
          return { items: page.prompts, nextCursor: page.nextCursor };
        },
        warnings,
      )
    : [];

  let skills = uniqueById(
    [
      ...tools.map((tool) => toolSkill(tool, warnings)),
      ...prompts.map((prompt) => promptSkill(prompt, warnings)),
    ],
    warnings,
  );
  if (skills.length > limits.listItems) {
    warnings.push(
      `the server offers ${skills.length} tools and prompts; the card keeps the first ${limits.listItems} (the AgentCard limit)`,
    );
    skills = skills.slice(0, limits.listItems);
  }

  const a2aVersion = options.a2aVersion ?? DEFAULT_A2A_VERSION;
  const draft: AgentCard = {
    apiVersion: AGENT_CARD_API_VERSION,
    kind: AGENT_CARD_KIND,
    metadata: {
      name: options.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { [MCP_PROTOCOL_LABEL]: 'mcp' },
      annotations: {
        [MCP_SERVER_NAME_ANNOTATION]: server.name,
        [MCP_SERVER_VERSION_ANNOTATION]: server.version,
      },
    },
    spec: {
      a2aVersion,
      metadata: serverMetadata(server, client.getInstructions(), options.description),
      ...(options.url ? { endpoints: [options.url] } : {}),
      skills,
    },
  };
  if (!options.url) warnings.push('no url given: the card has no endpoint');

  const translated = toA2ACard(draft, { a2aVersion });
  for (const warning of translated.warnings) warnings.push(`${warning.path}: ${warning.message}`);
  // Without a URL there is no valid A2A card to publish: the registry renders one under its own URL.
  const card: AgentCard = translated.ok
    ? { ...draft, spec: { ...draft.spec, publicCard: translated.card } }
    : draft;

  const parsed = parseAgentCard(card);
  if (!parsed.ok) {
    const issue = parsed.issues[0];
    throw new Error(
      `the card made from MCP server "${server.name}" is invalid at ${issue?.path}: ${issue?.message}`,
    );
  }
  return { card: parsed.value, warnings };
}

function checkOptions(options: CardFromMcpServerOptions): void {
  if (!options.name || options.name.length > limits.name || !isDns1123Subdomain(options.name)) {
    throw new TypeError(
      `name ${JSON.stringify(options.name)} must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most ${limits.name} characters`,
    );
  }
  if (options.namespace !== undefined && !isDns1123Label(options.namespace)) {
    throw new TypeError(
      `namespace ${JSON.stringify(options.namespace)} must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters`,
    );
  }
  if (options.url !== undefined && !/^https?:\/\/[^\s]+$/.test(options.url)) {
    throw new TypeError(`url ${JSON.stringify(options.url)} must be an absolute http(s) URL`);
  }
}

async function collectPages<T>(
  what: string,
  maxPages: number,
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
  warnings: string[],
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
    if (seen.has(cursor)) {
      warnings.push(
        `the server repeated the ${what} cursor ${JSON.stringify(cursor)}; stopped listing there`,
      );
      return items;
    }
    seen.add(cursor);
  }
  warnings.push(`stopped listing ${what} after ${maxPages} pages`);
  return items;
}

/** A2A skill ids must be unique; a server listing a name twice is broken, so keep the first. */
function uniqueById(skills: Skill[], warnings: string[]): Skill[] {
  const seen = new Set<string>();
  return skills.filter((skill) => {
    if (!seen.has(skill.id)) return seen.add(skill.id);
    warnings.push(`the server lists ${JSON.stringify(skill.id)} more than once; the card keeps the first`);
    return false;
  });
}

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

function toolSkill(tool: Tool, warnings: string[]): Skill {
  const name = clip(tool.title ?? tool.annotations?.title ?? tool.name, limits.token);
  const hints = tool.annotations ?? {};
  const tags = ['mcp-tool'];
  if (hints.readOnlyHint === true) tags.push('read-only');
  if (hints.destructiveHint === true && hints.readOnlyHint !== true) tags.push('destructive');
  if (hints.idempotentHint === true) tags.push('idempotent');
  if (hints.openWorldHint === true) tags.push('open-world');
  if (hints.openWorldHint === false) tags.push('closed-world');
  const examples = stringList(tool._meta?.examples);
  return {
    id: clip(tool.name, limits.token),
    name,
    description: describedOrFilled(tool.description, name, `tool "${tool.name}"`, warnings),
    tags,
    ...(examples.length > 0 ? { examples } : {}),
    inputModes: ['application/json'],
    outputModes: tool.outputSchema ? ['application/json'] : ['text/plain'],
  };
}

function promptSkill(prompt: Prompt, warnings: string[]): Skill {
  const name = clip(prompt.title ?? prompt.name, limits.token);
  return {
    id: clip(`prompt:${prompt.name}`, limits.token),
    name,
    description: describedOrFilled(prompt.description, name, `prompt "${prompt.name}"`, warnings),
    tags: ['mcp-prompt'],
  };
}

/** A2A requires a description; when the server gives none, say so rather than invent one. */
function describedOrFilled(
  description: string | undefined,
  name: string,
  what: string,
  warnings: string[],
): string {
  const given = description?.trim();
  if (given) return clip(given, limits.text);
  warnings.push(`${what} has no description; the card says so`);
  return `${name} (the MCP server gives no description)`;
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    .slice(0, limits.listItems)
    .map((item) => clip(item, limits.text));
}

const isHttpUrl = (value: string | undefined): value is string =>
  value !== undefined && value.length <= limits.url && /^https?:\/\/\S+$/.test(value);

/** The card-level fields, keyed as the translator reads `spec.metadata`. */
function serverMetadata(
  server: Implementation,
  instructions: string | undefined,
  description: string | undefined,
): Record<string, string> {
  const serverDescription =
    description?.trim() ||
    server.description?.trim() ||
    instructions?.trim().split(/\n\s*\n/)[0] ||
    `MCP server ${server.title ?? server.name}`;
  const metadata: Record<string, string> = {
    description: clip(serverDescription, limits.text),
    version: clip(server.version, limits.text),
    // A2A requires the named transport to be served at the card URL: there, it is MCP.
    preferredTransport: MCP_TRANSPORT,
    // A2A streaming means `message/stream`, which an MCP server does not offer.
    'capabilities.streaming': 'false',
  };
  if (isHttpUrl(server.websiteUrl)) metadata.documentationUrl = server.websiteUrl;
  const icon = server.icons?.find((candidate) => isHttpUrl(candidate.src))?.src;
  if (icon) metadata.iconUrl = icon;
  return metadata;
}

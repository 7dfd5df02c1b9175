import { cardSkillsOf } from '@agent-registry/a2a-translator';
import { A2A_VERSIONS, parseA2AVersion, type AgentCard } from '@agent-registry/crds';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { wellKnownUrl, type CardRenderer } from './a2aCard.js';
import { summarizeCard, summarizeHealth } from './agentSummary.js';
import { cardNamespace, listAll, type RegistryReader } from './registryReader.js';

export interface RegistryToolsOptions {
  publicUrl?: string;
  /** Upper bound on the cards one `list_skills` call reads. */
  maxScannedCards: number;
  renderCard: CardRenderer;
}

const HEALTH = ['Healthy', 'Unhealthy', 'Unknown'] as const;
const SEARCH_DEFAULT_LIMIT = 20;
const SEARCH_MAX_LIMIT = 100;

const oneOf = (values: readonly string[]) =>
  `must be one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
const namespaceField = z
  .string({ error: 'must be a string (a Kubernetes namespace)' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters');
const nameField = z
  .string({ error: 'must be a string (the agent name)' })
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters');
const shortText = (what: string) =>
  z.string({ error: `must be a string (${what})` }).max(256, 'must be at most 256 characters');

const summarySchema = z.object({
  namespace: z.string(),
  name: z.string(),
  description: z.string(),
  skills: z.array(z.string()).describe('Skill names'),
  health: z.enum(HEALTH),
  lastSeen: z.string().optional().describe('When the agent last answered a health probe (RFC 3339)'),
  url: z.string().optional().describe("The agent's primary endpoint"),
  wellKnownUrl: z.string().optional().describe("Where the registry serves the agent's A2A card"),
  score: z
    .number()
    .optional()
    .describe('Relevance to `query` (higher is better; results come best first). Only with `query`'),
});

const searchInput = z.strictObject({
  query: shortText('what the agent should do, in plain words')
    .optional()
    .describe(
      'What you need, in plain words ("roll back a helm release"): agents are ranked by relevance ' +
        '(names and skills count most; prefixes and small typos match)',
    ),
  text: shortText('free text').optional().describe('The same as `query` (its former name); `query` wins'),
  skill: shortText('a skill id or name').optional().describe('Only agents offering this skill (id or name)'),
  tag: shortText('a skill tag').optional().describe('Only agents with a skill carrying this tag'),
  namespace: namespaceField.optional().describe('Only agents in this Kubernetes namespace'),
  health: z
    .enum(HEALTH, { error: oneOf(HEALTH) })
    .optional()
    .describe('Only agents in this health state'),
  verified: z
    .boolean({ error: 'must be true or false' })
    .optional()
    .describe(
      'true: only agents whose card carries a publisher signature verified against a trusted key; ' +
        'false: only the others (unsigned, or the signature failed)',
    ),
  limit: z
    .int({ error: 'must be an integer' })
    .min(1, 'must be at least 1')
    .max(SEARCH_MAX_LIMIT, `must be at most ${SEARCH_MAX_LIMIT}`)
    .optional()
    .describe(`Maximum number of agents to return (default ${SEARCH_DEFAULT_LIMIT})`),
  continue: z
    .string({ error: 'must be a string' })
    .max(4096, 'must be at most 4096 characters')
    .optional()
    .describe('The `continue` token of the previous result, for the next page'),
});

const searchOutput = z.object({
  agents: z.array(summarySchema),
  continue: z.string().optional().describe('Pass as `continue` to get the next page'),
});

const healthCountsSchema = z.object({ Healthy: z.number(), Unhealthy: z.number(), Unknown: z.number() });

const healthSummaryInput = z.strictObject({
  namespace: namespaceField.optional().describe('Only agents in this namespace'),
});

const healthSummaryOutput = z.object({
  total: z.number(),
  health: healthCountsSchema.describe('Agents in each health state'),
  namespaces: z
    .array(z.object({ namespace: z.string(), total: z.number(), health: healthCountsSchema }))
    .describe('The same per namespace'),
  truncated: z.boolean().describe('True when the registry held more cards than one call reads'),
});

const getCardInput = z.strictObject({
  namespace: namespaceField.describe('Kubernetes namespace of the agent'),
  name: nameField.describe('Name of the agent (its AgentCard)'),
  a2aVersion: z
    .string({ error: 'must be a string (an A2A version such as 1.0 or 0.3)' })
    .max(32, 'must be at most 32 characters')
    .superRefine((value, context) => {
      const parsed = parseA2AVersion(value);
      if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.reason });
    })
    .optional()
    .describe(
      'A2A protocol version of the returned card, as Major.Minor (1.0 or 0.3; a patch part is ignored). ' +
        'Default: the card clients of both generations read (the 1.0 card with the 0.3 fields)',
    ),
});

const getCardOutput = z.object({
  namespace: z.string(),
  name: z.string(),
  a2aVersion: z
    .enum(A2A_VERSIONS)
    .optional()
    .describe('The version of `card`; absent for the card both generations read'),
  card: z.record(z.string(), z.unknown()).describe('The A2A agent card'),
  wellKnownUrl: z.string().optional(),
  warnings: z.array(z.string()).describe('What the translation had to drop or assume'),
});

const listSkillsInput = z.strictObject({
  namespace: namespaceField.optional().describe('Only skills of agents in this namespace'),
  tag: shortText('a skill tag').optional().describe('Only skills carrying this tag'),
});

const listSkillsOutput = z.object({
  skills: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().optional(),
      tags: z.array(z.string()),
      agents: z.array(z.object({ namespace: z.string(), name: z.string() })),
    }),
  ),
  truncated: z.boolean().describe('True when the registry held more cards than one call reads'),
});

/** A tool result with structured content and the same JSON as text for clients that only read text. */
function structured<T extends Record<string, unknown>>(
  content: T,
): CallToolResult & { structuredContent: T } {
  return { content: [{ type: 'text', text: JSON.stringify(content, null, 2) }], structuredContent: content };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function registerRegistryTools(
  server: McpServer,
  registry: RegistryReader,
  options: RegistryToolsOptions,
) {
  const { publicUrl } = options;

  server.registerTool(
    'search_agents',
    {
      title: 'Search agents',
      description:
        'Find A2A agents in the registry: describe what you need in `query` (results are ranked, best first, ' +
        'each with a score), and/or filter by skill, tag, namespace or health. Returns compact summaries ' +
        '(with health and lastSeen); use get_agent_card for the full A2A card of one agent.',
      inputSchema: searchInput,
      outputSchema: searchOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      let page;
      try {
        page = await registry.list({
          q: args.query ?? args.text,
          skill: args.skill,
          tag: args.tag,
          namespace: args.namespace,
          health: args.health,
          verified: args.verified,
          limit: args.limit ?? SEARCH_DEFAULT_LIMIT,
          continue: args.continue,
        });
      } catch (error) {
        return toolError(`The registry could not search agents: ${errorMessage(error)}`);
      }
      const scores = page.scores;
      return structured({
        agents: page.items.map((card, index) => {
          const summary = summarizeCard(card, publicUrl);
          const score = scores?.[index];
          return score === undefined ? summary : { ...summary, score };
        }),
        ...(page.continue ? { continue: page.continue } : {}),
      });
    },
  );

  server.registerTool(
    'get_agent_card',
    {
      title: 'Get an agent card',
      description:
        'The A2A agent card of one agent, by namespace and name (as search_agents returns them), in A2A 0.3.0 or 1.0.',
      inputSchema: getCardInput,
      outputSchema: getCardOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ namespace, name, a2aVersion }) => {
      let card: AgentCard | undefined;
      try {
        card = await registry.get(namespace, name);
      } catch (error) {
        return toolError(`The registry could not read agent ${namespace}/${name}: ${errorMessage(error)}`);
      }
      if (!card) {
        return toolError(
          `No agent named "${name}" in namespace "${namespace}". Use search_agents to find the names of registered agents.`,
        );
      }
      const version = a2aVersion === undefined ? undefined : parseA2AVersion(a2aVersion);
      const rendered = options.renderCard(card, version?.ok ? version.version : undefined, publicUrl);
      return structured({
        namespace,
        name,
        ...(rendered.a2aVersion ? { a2aVersion: rendered.a2aVersion } : {}),
        card: rendered.card,
        ...(publicUrl ? { wellKnownUrl: wellKnownUrl(publicUrl, namespace, name) } : {}),
        warnings: rendered.warnings,
      });
    },
  );

  server.registerTool(
    'health_summary',
    {
      title: 'Agent health summary',
      description:
        'How many agents are Healthy, Unhealthy or Unknown, in total and per namespace. Use search_agents ' +
        'with `health` to list the agents in one state.',
      inputSchema: healthSummaryInput,
      outputSchema: healthSummaryOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ namespace }) => {
      let scan;
      try {
        scan = await listAll(registry, { namespace }, options.maxScannedCards);
      } catch (error) {
        return toolError(`The registry could not list agents: ${errorMessage(error)}`);
      }
      return structured({ ...summarizeHealth(scan.items), truncated: scan.truncated });
    },
  );

  server.registerTool(
    'list_skills',
    {
      title: 'List skills',
      description: 'Every skill offered by registered agents, with the agents that offer it.',
      inputSchema: listSkillsInput,
      outputSchema: listSkillsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ namespace, tag }) => {
      let scan;
      try {
        scan = await listAll(registry, { namespace, tag }, options.maxScannedCards);
      } catch (error) {
        return toolError(`The registry could not list agents: ${errorMessage(error)}`);
      }
      const wantedTag = tag?.toLowerCase();
      const skills = new Map<
        string,
        {
          id: string;
          name: string;
          description?: string;
          tags: string[];
          agents: { namespace: string; name: string }[];
        }
      >();
      for (const card of scan.items) {
        const agent = { namespace: cardNamespace(card), name: card.metadata.name };
        for (const skill of cardSkillsOf(card)) {
          if (wantedTag && !skill.tags.some((t) => t.toLowerCase() === wantedTag)) continue;
          const entry = skills.get(skill.id) ?? { ...skill, tags: [], agents: [] };
          for (const t of skill.tags) if (!entry.tags.includes(t)) entry.tags.push(t);
          entry.agents.push(agent);
          skills.set(skill.id, entry);
        }
      }
      return structured({
        skills: [...skills.values()].sort((a, b) => a.id.localeCompare(b.id)),
        truncated: scan.truncated,
      });
    },
  );
}

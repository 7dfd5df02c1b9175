import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { cardDescriptionOf } from '@agent-registry/a2a-translator';
import type { CardRenderer } from './a2aCard.js';
import { cardNamespace, listAll, type RegistryReader } from './registryReader.js';

/** JSON-RPC code the MCP specification assigns to an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

export const AGENT_CARD_URI_TEMPLATE = 'agentcard://{namespace}/{name}';

/** The MCP resource URI of a card. */
export const agentCardUri = (namespace: string, name: string): string =>
  `agentcard://${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export interface RegistryResourcesOptions {
  /** Upper bound on the cards listed by `resources/list` and completions. */
  maxListedCards: number;
  /** The registry's public URL: the card URL of cards without endpoints. */
  publicUrl?: string;
  renderCard: CardRenderer;
}

const single = (value: string | string[] | undefined): string =>
  decodeURIComponent(Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

/**
 * Each card as the resource `agentcard://{namespace}/{name}`, whose content is
 * the card's A2A document as a client naming no A2A version gets it from the registry's REST routes
 * (the card both generations read), `application/json`.
 */
export function registerRegistryResources(
  server: McpServer,
  registry: RegistryReader,
  options: RegistryResourcesOptions,
): void {
  const { maxListedCards, publicUrl, renderCard } = options;
  const allCards = async () => (await listAll(registry, {}, maxListedCards)).items;

  const template = new ResourceTemplate(AGENT_CARD_URI_TEMPLATE, {
    list: async () => ({
      resources: (await allCards()).map((card) => {
        const namespace = cardNamespace(card);
        const description = cardDescriptionOf(card);
        return {
          uri: agentCardUri(namespace, card.metadata.name),
          name: `${namespace}/${card.metadata.name}`,
          ...(description ? { description } : {}),
          mimeType: 'application/json',
        };
      }),
    }),
    complete: {
      namespace: async (value) =>
        [...new Set((await allCards()).map(cardNamespace))].filter((namespace) =>
          namespace.startsWith(value),
        ),
      name: async (value, context) => {
        const namespace = context?.arguments?.namespace;
        return (await allCards())
          .filter((card) => namespace === undefined || cardNamespace(card) === namespace)
          .map((card) => card.metadata.name)
          .filter((name) => name.startsWith(value));
      },
    },
  });

  server.registerResource(
    'agent-card',
    template,
    {
      title: 'A2A agent card',
      description:
        'The A2A agent card of a registered agent, as clients of both A2A generations (0.3 and 1.0) read it.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const namespace = single(variables.namespace);
      const name = single(variables.name);
      const card = await registry.get(namespace, name);
      if (!card) {
        throw new McpError(
          RESOURCE_NOT_FOUND,
          `No agent named "${name}" in namespace "${namespace}"; list resources to see the registered agents.`,
          { uri: uri.href },
        );
      }
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            // The same bytes as the registry's REST routes serve.
            text: JSON.stringify(renderCard(card, undefined, publicUrl).card),
          },
        ],
      };
    },
  );
}

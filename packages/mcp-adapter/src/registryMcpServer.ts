import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { renderA2ACard, type CardRenderer } from './a2aCard.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { agentCardUri, registerRegistryResources } from './registryResources.js';
import { cardNamespace, type CardEvent, type RegistryReader } from './registryReader.js';
import { registerRegistryTools } from './registryTools.js';
import { ADAPTER_VERSION } from './version.js';

export interface RegistryMcpServerOptions {
  /**
   * Base URL of the registry as clients reach it, used for well-known card
   * URLs and for cards without endpoints. Without it, summaries carry no
   * `wellKnownUrl`.
   */
  publicUrl?: string;
  /** Name announced in `initialize` (default `agent-registry`). */
  serverName?: string;
  /** Wait this long after a registry change before `notifications/resources/list_changed`, to coalesce bursts (default 100 ms). */
  listChangedDebounceMs?: number;
  /** Upper bound on the cards `resources/list`, completions and `list_skills` read (default 5000). */
  maxListedCards?: number;
  /** How `get_agent_card` and `agentcard://` resources render a card (default: the translator's card view). */
  renderCard?: CardRenderer;
}

const INSTRUCTIONS =
  'Agent Registry: a catalogue of A2A agents. Use search_agents to find agents by text, skill or tag, ' +
  'get_agent_card for the full A2A card of one agent, and list_skills for what the registered agents can do. ' +
  'Cards are also resources at agentcard://{namespace}/{name}.';

/**
 * An MCP server over a registry: the tools `search_agents`, `get_agent_card`
 * and `list_skills`, and every card as an `agentcard://` resource. When the
 * registry can `subscribe`, the server sends `notifications/resources/list_changed`
 * after changes and `notifications/resources/updated` for subscribed cards;
 * the subscription ends when the server closes.
 *
 * One server serves one client connection (an SDK rule); make one per session.
 */
export function createRegistryMcpServer(
  registry: RegistryReader,
  options: RegistryMcpServerOptions = {},
): McpServer {
  const maxListedCards = options.maxListedCards ?? 5000;
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const server = new McpServer(
    { name: options.serverName ?? 'agent-registry', title: 'Agent Registry', version: ADAPTER_VERSION },
    { instructions: INSTRUCTIONS },
  );
  const renderCard = options.renderCard ?? renderA2ACard;
  registerRegistryTools(server, registry, { publicUrl, maxScannedCards: maxListedCards, renderCard });
  registerRegistryResources(server, registry, { maxListedCards, publicUrl, renderCard });
  if (registry.subscribe)
    forwardChanges(server, registry.subscribe.bind(registry), options.listChangedDebounceMs ?? 100);
  return server;
}

function forwardChanges(
  server: McpServer,
  subscribe: NonNullable<RegistryReader['subscribe']>,
  debounceMs: number,
): void {
  const subscribed = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  let timer: NodeJS.Timeout | undefined;
  const announceListChanged = () => {
    timer = undefined;
    if (server.isConnected()) server.sendResourceListChanged();
  };
  const unsubscribe = subscribe((event: CardEvent) => {
    const uri = agentCardUri(cardNamespace(event.card), event.card.metadata.name);
    if (subscribed.has(uri) && server.isConnected()) {
      server.server.sendResourceUpdated({ uri }).catch(() => {
        // The client went away between the check and the send; its session's close cleans up.
      });
    }
    timer ??= setTimeout(announceListChanged, debounceMs).unref();
  });

  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    previousOnClose?.();
  };
}

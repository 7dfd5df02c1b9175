export type { CardEvent, CardPage, CardQuery, RegistryReader } from './registryReader.js';
export { createRegistryMcpServer, type RegistryMcpServerOptions } from './registryMcpServer.js';
export type { CardRenderer, RenderedCard } from './a2aCard.js';
export { AGENT_CARD_URI_TEMPLATE, agentCardUri } from './registryResources.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions } from './mcpHttpHandler.js';
// The REST + SSE client and the read contract are @agent-registry/registry-client's; re-exported for compatibility.
export {
  createHttpRegistryReader,
  RegistryRequestError,
  SseParser,
  type HttpRegistryReader,
  type HttpRegistryReaderOptions,
  type SseEvent,
} from '@agent-registry/registry-client';
export type { AgentSummary } from './agentSummary.js';
export { summarizeHealth, type HealthCounts } from './agentSummary.js';
export {
  cardFromMcpServer,
  MCP_PROTOCOL_LABEL,
  MCP_SERVER_NAME_ANNOTATION,
  MCP_SERVER_VERSION_ANNOTATION,
  MCP_TRANSPORT,
  type CardFromMcpServerOptions,
  type McpServerCard,
} from './cardFromMcpServer.js';

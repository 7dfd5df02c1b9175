export type { CardEvent, CardPage, CardQuery, RegistryReader } from './registryReader.js';
export { createRegistryMcpServer, type RegistryMcpServerOptions } from './registryMcpServer.js';
export { AGENT_CARD_URI_TEMPLATE, agentCardUri } from './registryResources.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions } from './mcpHttpHandler.js';
export {
  createHttpRegistryReader,
  RegistryRequestError,
  type HttpRegistryReader,
  type HttpRegistryReaderOptions,
} from './httpRegistryReader.js';
export { SseParser, type SseEvent } from './sseParser.js';
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

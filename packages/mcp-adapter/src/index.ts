export const packageName = '@agent-registry/mcp-adapter';

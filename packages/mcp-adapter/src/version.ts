/** Reported as the MCP server version; keep in step with package.json. */
export const ADAPTER_VERSION = '0.0.0';

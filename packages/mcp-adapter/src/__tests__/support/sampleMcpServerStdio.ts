import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { sampleMcpServer } from './sampleMcpServer.js';

// Run with tsx: the sample server over stdio, for `agent-registry-mcp card --command`.
await sampleMcpServer().connect(new StdioServerTransport());

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';

/** An MCP server with the kinds of tools and prompts real servers expose. */
export function sampleMcpServer(): McpServer {
  const server = new McpServer(
    {
      name: 'weather-tools',
      version: '2.4.1',
      title: 'Weather Tools',
      websiteUrl: 'https://weather.example.com/docs',
    },
    { instructions: 'Weather forecasts and file housekeeping.\n\nCall get_weather with a city name.' },
  );
  server.registerTool(
    'get_weather',
    {
      title: 'Get weather',
      description: 'Current weather for a city',
      inputSchema: { city: z.string() },
      outputSchema: { temperature: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: true },
      _meta: { examples: ['What is the weather in Paris?', 'Is it raining in Lyon?'] },
    },
    async () => ({
      content: [{ type: 'text', text: '{"temperature":21}' }],
      structuredContent: { temperature: 21 },
    }),
  );
  server.registerTool(
    'delete_file',
    {
      description: 'Deletes a file',
      inputSchema: { path: z.string() },
      annotations: {
        title: 'Delete a file',
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async () => ({ content: [{ type: 'text', text: 'deleted' }] }),
  );
  server.registerTool('undocumented', { inputSchema: {} }, async () => ({ content: [] }));
  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize a forecast',
      description: 'Turns a forecast into one sentence',
      argsSchema: { city: z.string() },
    },
    ({ city }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Summarize the weather in ${city}` } }],
    }),
  );
  return server;
}

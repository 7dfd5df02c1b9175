import { createRequire } from 'node:module';

// Read from the package manifest (one level up from both src/ and dist/), so a release bump
// (`nx release`) is what MCP clients see without a second place to edit.
const manifest = createRequire(import.meta.url)('../package.json') as { version: string };

/** Reported as the MCP server and client version. */
export const ADAPTER_VERSION: string = manifest.version;

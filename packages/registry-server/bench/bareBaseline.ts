import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startChild, type Child } from './childProcess.js';

/** What node:http writes on every response itself: the bare server gets those from node:http too. */
const SET_BY_NODE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export interface BareBaseline {
  server: Child;
  /** The response body, as the registry sent it. */
  body: Buffer;
}

/**
 * Fetches `url` from the registry and starts bareServer.mjs answering the very same response (header
 * fields and body), so a comparison measures the registry's own work, not a difference in bytes.
 */
export async function startBareBaseline(url: string, workDir: string, name: string): Promise<BareBaseline> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, field) => {
    if (!SET_BY_NODE.has(field)) headers[field] = value;
  });
  const bodyFile = join(workDir, `${name}.body`);
  const headersFile = join(workDir, `${name}.headers.json`);
  await writeFile(bodyFile, body);
  await writeFile(headersFile, JSON.stringify(headers));
  const server = await startChild(join(import.meta.dirname, 'bareServer.mjs'), [bodyFile, headersFile]);
  return { server, body };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refuseImports } from '@agent-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModuleScript, type ScriptResult } from './support/moduleScript.js';

// @kubernetes/client-node costs a process about 27 MB of heap and 60 MB of RSS on import: a registry
// on its embedded store (and anyone embedding the package without Kubernetes) must not pay that.
const source = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Runs an ES module script in a child node (TypeScript through tsx) where importing client-node throws. */
const runWithoutClientNode = (script: string): Promise<ScriptResult> =>
  runModuleScript(script, refuseImports('@kubernetes/client-node'));

describe('the embedded registry does not load @kubernetes/client-node', () => {
  let manifests: string;
  beforeAll(async () => {
    manifests = await mkdtemp(join(tmpdir(), 'registry-footprint-'));
    await writeFile(
      join(manifests, 'agent.yaml'),
      [
        'apiVersion: a2a.io/v1',
        'kind: Agent',
        'metadata: { name: echo, namespace: demo }',
        'spec: { description: Echoes text., url: "http://echo.demo:8080" }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rm(manifests, { recursive: true, force: true }));

  it('serves cards from a manifest directory through the package entry', async () => {
    const script = `
      const { startServer } = await import(${JSON.stringify(source('index.ts'))});
      const server = await startServer({
        store: 'embedded', manifests: ${JSON.stringify(manifests)}, host: '127.0.0.1', port: 0, logLevel: 'error',
      });
      const response = await fetch(server.url + '/api/v1alpha1/registry/cards');
      const body = await response.json();
      console.log('cards', body.items.map((card) => card.metadata.name).join(','));
      await server.close();`;
    const { code, stdout, stderr } = await runWithoutClientNode(script);
    expect(stderr).not.toContain('@kubernetes/client-node was imported');
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'cards echo' });
  }, 60_000);

  it('refuses the Kubernetes entry point, which does need it (the check works)', async () => {
    const { code, stderr } = await runWithoutClientNode(
      `await import(${JSON.stringify(source('kubernetes.ts'))});`,
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain('@kubernetes/client-node was imported');
  }, 60_000);
});

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { sharedFile, sharedDir } from './shared.js';

/** Field manager used when applying manifests. */
export const TEST_FIELD_MANAGER = 'agent-registry-testing';

const defaultManifestsDir = fileURLToPath(new URL('../../../packages/crds/manifests/', import.meta.url));
/** Where kagent's own `agents.kagent.dev` CRD lies, under `../shared` (kagent v0.9.12, v1alpha1 and v1alpha2). */
export const KAGENT_AGENT_CRD = 'kagent/kagent.dev_agents.yaml';
/** The path of kagent's own CRD (present or not: {@link kagentAgentCrd} says which). */
export const kagentAgentCrdFile = join(sharedDir, KAGENT_AGENT_CRD);
/**
 * kagent's own `agents.kagent.dev` CRD, with its validation rules, so tests see what a cluster running kagent
 * accepts. Missing: a loud warning locally, an error under CI (see {@link sharedFile}).
 */
export const kagentAgentCrd = () => sharedFile(KAGENT_AGENT_CRD);

/** Parses multi-document YAML files into objects (empty documents are dropped). */
export function readManifests(files: readonly string[]): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      objects.push(value as KubernetesObject);
    }
  }
  return objects;
}

/**
 * The CRDs the integration tests install: the generated manifests in
 * packages/crds/manifests/*.yaml (AgentCard `agentcards.kagent.dev`, a2a.io
 * Agent, ...) plus kagent's own `agents.kagent.dev` CRD from `../shared`
 * unless the generated manifests already define it. Without `../shared` the
 * kagent CRD is left out with a loud warning (suites that create kagent
 * Agents then fail or skip); under CI that is an error.
 *
 * `AGENT_REGISTRY_CRDS_DIR` overrides the manifests directory.
 */
export function testCrdFiles(
  manifestsDir = process.env.AGENT_REGISTRY_CRDS_DIR || defaultManifestsDir,
): string[] {
  if (!existsSync(manifestsDir)) {
    throw new Error(`no CRD manifests in ${manifestsDir}; run \`npm run generate:crds\``);
  }
  const generated = readdirSync(manifestsDir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(manifestsDir, name));
  const definesKagentAgent = readManifests(generated).some(
    (object) => object.kind === 'CustomResourceDefinition' && object.metadata?.name === 'agents.kagent.dev',
  );
  if (definesKagentAgent) return generated;
  const kagent = kagentAgentCrd();
  return kagent.available ? [...generated, kagent.path] : generated;
}

function isEstablished(crd: { status?: { conditions?: { type: string; status: string }[] } }): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

/**
 * Server-side applies the CustomResourceDefinitions in the given YAML files
 * (multi-document; any other kind is an error) and waits until each is
 * `Established`. Returns the names of the CRDs.
 *
 * The CRDs are sent as raw JSON through `patchCustomResourceDefinition`:
 * `KubernetesObjectApi` would run them through client-node's typed serializer,
 * which silently drops keys whose JSON name differs from the TypeScript one
 * (`x-kubernetes-preserve-unknown-fields`, `enum`, `x-kubernetes-list-type`...).
 */
export async function installCrds(
  kubeConfig: KubeConfig,
  files: readonly string[],
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<string[]> {
  const crds = readManifests(files);
  for (const object of crds) {
    if (object.kind !== 'CustomResourceDefinition' || !object.metadata?.name) {
      throw new Error(
        `installCrds: not a named CustomResourceDefinition: ${object.kind} ${object.metadata?.name}`,
      );
    }
  }
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const names = crds.map((crd) => crd.metadata?.name ?? '');
  for (const [index, crd] of crds.entries()) {
    await extensions.patchCustomResourceDefinition(
      { name: names[index] ?? '', body: crd, fieldManager: TEST_FIELD_MANAGER, force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
  }

  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await extensions.readCustomResourceDefinition({ name });
      if (isEstablished(crd)) break;
      if (Date.now() > deadline) {
        throw new Error(`CRD ${name} not Established after ${timeoutMs} ms: ${JSON.stringify(crd.status)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return names;
}

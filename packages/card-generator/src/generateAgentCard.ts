import { contentHash, toA2ACard } from '@agent-registry/a2a-translator';
import {
  AGENT_CARD_API_VERSION,
  AGENT_CARD_KIND,
  ROOT_PATH,
  type AgentCard,
  type AgentCardSpec,
  type OwnerReference,
} from '@agent-registry/crds';
import { a2aContent } from './a2aSource.js';
import { error, warning, type Diagnostic } from './diagnostics.js';
import { inheritedLabels } from './inheritance.js';
import { kagentContent } from './kagentSource.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { readSource } from './readSource.js';

export interface GenerateResult {
  /** The desired card; absent when the source is unusable (see the error diagnostics). */
  card?: AgentCard;
  diagnostics: Diagnostic[];
}

/**
 * The AgentCard an agent should have. Pure: reads `source` (any value; a kagent
 * or a2a.io Agent is expected), returns a complete resource and diagnostics,
 * never throws. It does not check opt-in; call `shouldRegister` first.
 */
export function generateAgentCard(source: unknown, options?: GenerateOptions): GenerateResult {
  try {
    return generate(source, options);
  } catch (cause) {
    // Valid data never gets here; a hostile getter or proxy might. Report it rather than crash the controller.
    return { diagnostics: [error(ROOT_PATH, `could not be read: ${String(cause)}`)] };
  }
}

function generate(source: unknown, options: GenerateOptions | undefined): GenerateResult {
  const resolved = resolveOptions(options);
  if (resolved.diagnostics.length > 0) return { diagnostics: resolved.diagnostics };

  const read = readSource(source);
  if (read.source === undefined) return { diagnostics: read.diagnostics };
  const { type, resource } = read.source;
  const content =
    type === 'KagentAgent'
      ? kagentContent(resource, resolved.options)
      : a2aContent(resource, resolved.options);
  const diagnostics = [...read.diagnostics, ...content.diagnostics, ...content.metadata.diagnostics];

  const { name, namespace, uid } = resource.metadata;
  const sourceRef: NonNullable<AgentCardSpec['sourceRef']> = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name,
  };
  if (uid) sourceRef.uid = uid;
  const spec: AgentCardSpec = {
    sourceRef,
    a2aVersion: content.a2aVersion,
    endpoints: content.endpoints,
  };
  const metadata = content.metadata.toRecord();
  if (metadata !== undefined) spec.metadata = metadata;
  if (content.capabilities.length > 0) spec.capabilities = content.capabilities;
  if (content.skills.length > 0) spec.skills = content.skills;

  const identity = namespace ? { name, namespace } : { name };
  const rendered = toA2ACard({ metadata: identity, spec }, { a2aVersion: content.a2aVersion });
  // Every source gives the card an endpoint (declared or derived), so translation fails only on a bug.
  if (rendered.ok) spec.publicCard = rendered.card;
  else for (const issue of rendered.issues) diagnostics.push(error(`card.${issue.path}`, issue.message));
  for (const problem of rendered.warnings) {
    // The translator notes that only endpoints[0] becomes the card URL; that is
    // expected when the other endpoints are already listed in additionalInterfaces.
    if (problem.path === 'spec.endpoints' && metadata?.additionalInterfaces !== undefined) continue;
    diagnostics.push(warning(`card.${problem.path}`, problem.message));
  }
  spec.contentHash = contentHash(spec);

  // Built field by field rather than with spreads and a computed key: this runs once per agent on every re-sync.
  // What the card inherits from its agent (labels), in the controller and the embedded store alike.
  const labels = inheritedLabels(resource, resolved.options.managedBy);
  const cardMetadata: AgentCard['metadata'] = namespace ? { name, namespace, labels } : { name, labels };
  if (uid) {
    const owner: OwnerReference = {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name,
      uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    cardMetadata.ownerReferences = [owner];
  }
  const card: AgentCard = {
    apiVersion: AGENT_CARD_API_VERSION,
    kind: AGENT_CARD_KIND,
    metadata: cardMetadata,
    spec,
  };
  return { card, diagnostics };
}

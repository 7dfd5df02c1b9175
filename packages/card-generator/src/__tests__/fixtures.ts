/** What kagent's CRD requires of a Declarative agent: a `declarative` block (the model and instructions). */
export const DECLARATIVE = { modelConfig: 'default-model-config', systemMessage: 'You are a helpful agent.' };

/**
 * Sources as a Kubernetes client would return them (plain JSON). The kagent
 * Agent is one kagent's own CRD accepts (`type: Declarative` with `declarative`);
 * a `spec.declarative` given replaces the default block.
 */
export const kagentAgent = (
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'kagent.dev/v1alpha2',
  kind: 'Agent',
  metadata: {
    name: 'my-agent',
    namespace: 'default',
    uid: '6f1c9a2e-0000-4000-8000-000000000001',
    annotations: { 'kagent.dev/register-to-registry': 'true', ...annotations },
    ...metadata,
  },
  spec: { type: 'Declarative', declarative: DECLARATIVE, ...spec },
});

export const a2aAgent = (
  spec: Record<string, unknown> = {},
  annotations?: Record<string, string>,
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'a2a.io/v1',
  kind: 'Agent',
  metadata: {
    name: 'weather',
    namespace: 'agents',
    uid: '6f1c9a2e-0000-4000-8000-000000000002',
    ...(annotations ? { annotations } : {}),
    ...metadata,
  },
  spec,
});

/** The annotated kagent Agent of the design, with card metadata in the annotation form a cluster accepts. */
export const designExample = () =>
  kagentAgent(
    {
      'kagent.dev/capabilities': 'kubernetes,monitoring',
      'kagent.dev/card-provider.organization': 'My Company',
      'kagent.dev/card-provider.url': 'https://company.com',
      'kagent.dev/card-iconUrl': 'https://company.com/icon.png',
      'kagent.dev/card-documentationUrl': 'https://docs.company.com',
    },
    { description: 'My custom agent' },
  );

/** A Declarative kagent Agent with typed skills, one without an id (kagent makes `id` optional). */
export const declarativeWithSkills = () =>
  kagentAgent(
    {
      'kagent.dev/card-version': '2.3.0',
      'kagent.dev/card-skills.diagnose-pod.outputModes': 'text/markdown',
      'kagent.dev/card-metadata': JSON.stringify({
        'skills.rollout-status.description': 'Summarises a rollout and spots stuck replicas.',
      }),
    },
    {
      description: 'Diagnoses failing workloads.',
      declarative: {
        ...DECLARATIVE,
        a2aConfig: {
          skills: [
            {
              id: 'diagnose-pod',
              name: 'Diagnose pod',
              description: 'Explains why a pod is not ready.',
              tags: ['kubernetes', 'pods'],
              examples: ['Why is checkout-7d9f in CrashLoopBackOff?'],
              inputModes: ['text/plain'],
            },
            { name: 'Rollout status', tags: ['deployments'] },
          ],
        },
      },
    },
    { name: 'k8s-troubleshooter' },
  );

/** A bring-your-own kagent Agent: kagent runs the image, which serves A2A on port 8080. */
export const byoAgent = () => {
  const agent = kagentAgent(
    { 'kagent.dev/capabilities': 'billing,invoices', 'kagent.dev/card-provider.organization': 'Finance' },
    {
      type: 'BYO',
      description: 'Answers billing questions.',
      byo: { deployment: { image: 'registry.example.com/billing-agent:1.4.0' } },
    },
    { name: 'billing' },
  );
  const { declarative: _declarative, ...spec } = agent.spec;
  return { ...agent, spec };
};

/** Every kagent fixture above, by name: a test applies each to a real apiserver with kagent's CRD. */
export const kagentFixtures = {
  minimal: () => kagentAgent(),
  designExample,
  declarativeWithSkills,
  byoAgent,
};

/** Diagnostics about the source (annotations, spec), leaving out the translator's notes on the rendered card. */
export const sourceDiagnostics = <D extends { path: string }>(diagnostics: readonly D[]): D[] =>
  diagnostics.filter((d) => !d.path.startsWith('card.'));

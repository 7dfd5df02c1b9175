/** Sources as a Kubernetes client would return them (plain JSON). */
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
  spec: { type: 'Declarative', ...spec },
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

/** The annotated kagent Agent of the design document (seed 003). */
export const designExample = () =>
  kagentAgent(
    {
      'kagent.dev/capabilities': 'kubernetes,monitoring',
      'kagent.dev/card-metadata/provider.organization': 'My Company',
      'kagent.dev/card-metadata/provider.url': 'https://company.com',
      'kagent.dev/card-metadata/iconUrl': 'https://company.com/icon.png',
      'kagent.dev/card-metadata/documentationUrl': 'https://docs.company.com',
    },
    { description: 'My custom agent' },
  );

/** Diagnostics about the source (annotations, spec), leaving out the translator's notes on the rendered card. */
export const sourceDiagnostics = <D extends { path: string }>(diagnostics: readonly D[]): D[] =>
  diagnostics.filter((d) => !d.path.startsWith('card.'));

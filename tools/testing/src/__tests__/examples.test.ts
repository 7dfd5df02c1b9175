import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { beforeAll, expect, it } from 'vitest';
import { integration, kagentAgentCrd, repositoryRoot } from '../index.js';

const kagentCrd = kagentAgentCrd();
const examplesDir = join(repositoryRoot, 'examples');
/** The namespaces the examples live in; a user creates them first (see examples/README.md). */
const EXAMPLE_NAMESPACES = ['team-platform', 'team-data'];

integration.describe('examples/ on a real apiserver with our CRDs and kagent’s', (cp) => {
  beforeAll(async () => {
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    for (const name of EXAMPLE_NAMESPACES) {
      // Shared control plane: another run of this file may have made it already.
      await core.createNamespace({ body: { metadata: { name } } }).catch((error: { code?: number }) => {
        if (error.code !== 409) throw error;
      });
    }
  });

  it.skipIf(!kagentCrd.available)(
    'kubectl apply --server-side --dry-run=server -R -f examples/ passes',
    async () => {
      // The exact command of examples/README.md; kubectl rejects with the apiserver's message on any invalid object.
      const output = await cp.kubectl([
        'apply',
        '--server-side',
        '--dry-run=server',
        '-R',
        '-f',
        examplesDir,
      ]);
      const applied = output
        .trim()
        .split('\n')
        .map((line) => line.replace(/ serverside-applied \(server dry run\)$/, ''));
      expect(applied.sort()).toEqual(
        [
          'agent.a2a.io/data-catalog',
          'agent.a2a.io/incident-responder',
          'agent.a2a.io/sql-analyst',
          'agent.kagent.dev/k8s-troubleshooter',
          'agent.kagent.dev/release-manager',
          'agent.kagent.dev/scratchpad',
          'agentcard.kagent.dev/cost-reporter',
          'agentcard.kagent.dev/pipeline-monitor',
        ].sort(),
      );
    },
  );
});

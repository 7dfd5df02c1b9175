import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { IntegrationControlPlane } from '@agent-registry/testing';
import { stringify } from 'yaml';
import type { RenderedObject } from './chart.js';

/** A short random suffix for cluster-scoped names (the control plane is shared by the whole test run). */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** Runs kubectl with the objects written to a temporary file as `-f`; resolves with stdout. */
export async function kubectlWithObjects(
  cp: IntegrationControlPlane,
  args: string[],
  objects: readonly RenderedObject[] | string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-registry-kubectl-'));
  try {
    const file = join(dir, 'objects.yaml');
    writeFileSync(
      file,
      typeof objects === 'string' ? objects : objects.map((o) => `---\n${stringify(o)}`).join(''),
    );
    return await cp.kubectl([...args, '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `<resource>.<group>/<name>` as printed by `kubectl apply -o name`. */
export function kubectlName(object: RenderedObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  const resource = `${object.kind.toLowerCase()}${group ? `.${group}` : ''}`;
  return `${resource}/${object.metadata.name}`;
}

export interface AccessQuery {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Asks the apiserver's authorizer (RBAC) whether a ServiceAccount may do something. */
export async function serviceAccountCan(
  kubeConfig: KubeConfig,
  serviceAccount: { namespace: string; name: string },
  query: AccessQuery,
): Promise<boolean> {
  const api = kubeConfig.makeApiClient(AuthorizationV1Api);
  const review = await api.createSubjectAccessReview({
    body: {
      spec: {
        user: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
        groups: [
          'system:serviceaccounts',
          `system:serviceaccounts:${serviceAccount.namespace}`,
          'system:authenticated',
        ],
        resourceAttributes: { group: '', ...query },
      },
    },
  });
  return review.status?.allowed === true;
}

import { AuthenticationV1Api, KubeConfig } from '@kubernetes/client-node';

/** The user name Kubernetes gives a ServiceAccount's tokens. */
export function serviceAccountUser(serviceAccount: { namespace: string; name: string }): string {
  return `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
}

/**
 * The admin's kubeconfig acting as `user` (`Impersonate-User` on every request, watches included):
 * the apiserver authorizes each request as that user, as if it held the user's token. For a
 * ServiceAccount user name the apiserver adds the groups itself (`system:serviceaccounts`,
 * `system:serviceaccounts:<namespace>`, `system:authenticated`); see {@link whoAmI}.
 */
export function impersonating(admin: KubeConfig, user: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: admin.clusters,
    contexts: admin.contexts,
    currentContext: admin.currentContext,
    users: admin.users.map((entry) => ({ ...entry, impersonateUser: user })),
  });
  return kubeConfig;
}

/** Who the apiserver takes the caller of a kubeconfig for (a SelfSubjectReview). */
export async function whoAmI(kubeConfig: KubeConfig): Promise<{ username: string; groups: string[] }> {
  const review = await kubeConfig.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  const user = review.status?.userInfo;
  return { username: user?.username ?? '', groups: user?.groups ?? [] };
}

import { createHash } from 'node:crypto';
import { AGENT_CARD_GROUP, AGENT_CARD_PLURAL } from '@agent-registry/crds';
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  type KubeConfig,
  type V1UserInfo,
} from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../logger.js';
import { TtlCache } from './ttlCache.js';
import { AuthUnavailableError, type Authenticator, type Principal } from './types.js';

export interface KubernetesAuthOptions {
  kubeConfig: KubeConfig;
  /** How long TokenReview and SubjectAccessReview answers are reused. Default 10 s. */
  cacheTtlMs?: number;
  logger?: Logger;
}

/**
 * `--auth=kubernetes`: the bearer token is checked with a TokenReview, and what
 * its user may read with SubjectAccessReviews (`list`/`get` on
 * `agentcards.kagent.dev`, cluster-wide first, then per namespace). Answers are
 * cached briefly. The registry's own ServiceAccount needs `system:auth-delegator`.
 */
export function createKubernetesAuthenticator(options: KubernetesAuthOptions): Authenticator {
  const authentication = options.kubeConfig.makeApiClient(AuthenticationV1Api);
  const authorization = options.kubeConfig.makeApiClient(AuthorizationV1Api);
  const logger = options.logger ?? silentLogger;
  const ttl = options.cacheTtlMs ?? 10_000;
  const users = new TtlCache<Promise<V1UserInfo | undefined>>(ttl);
  const decisions = new TtlCache<Promise<boolean>>(ttl);

  const review = async (token: string): Promise<V1UserInfo | undefined> => {
    try {
      const result = await authentication.createTokenReview({ body: { spec: { token } } });
      return result.status?.authenticated ? result.status.user : undefined;
    } catch (error) {
      logger.error('TokenReview failed', { error });
      throw error;
    }
  };

  const allowed = (user: V1UserInfo, userKey: string, namespace: string, verb: string): Promise<boolean> => {
    const key = `${userKey}|${namespace}|${verb}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = authorization
        .createSubjectAccessReview({
          body: {
            spec: {
              user: user.username,
              uid: user.uid,
              groups: user.groups,
              extra: user.extra,
              resourceAttributes: {
                group: AGENT_CARD_GROUP,
                resource: AGENT_CARD_PLURAL,
                verb,
                ...(namespace === '' ? {} : { namespace }),
              },
            },
          },
        })
        .then((result) => result.status?.allowed === true)
        .catch((error: unknown) => {
          logger.error('SubjectAccessReview failed; denying', { error, namespace, verb });
          decisions.set(key, Promise.resolve(false));
          return false;
        });
      decisions.set(key, decision);
    }
    return decision;
  };

  const principalOf = (user: V1UserInfo): Principal => {
    const userKey = createHash('sha256')
      .update(JSON.stringify([user.username, user.uid, user.groups, user.extra]))
      .digest('hex');
    const canRead = async (namespace: string, verb: 'list' | 'get'): Promise<boolean> =>
      (await allowed(user, userKey, '', verb)) || (await allowed(user, userKey, namespace, verb));
    return {
      name: user.username ?? 'unknown',
      // What a user may see follows from the SubjectAccessReview input alone (username, uid, groups, extra).
      id: `user:${userKey}`,
      canRead,
      async visibleNamespaces(candidates, verb) {
        if (await allowed(user, userKey, '', verb)) return undefined;
        const visible = new Set<string>();
        await Promise.all(
          candidates.map(async (namespace) => {
            if (await allowed(user, userKey, namespace, verb)) visible.add(namespace);
          }),
        );
        return visible;
      },
    };
  };

  return {
    mode: 'kubernetes',
    async authenticate(token) {
      if (!token) return undefined;
      const key = createHash('sha256').update(token).digest('hex');
      let user = users.get(key);
      if (!user) {
        user = review(token);
        users.set(key, user);
      }
      let info: V1UserInfo | undefined;
      try {
        info = await user;
      } catch (error) {
        // A failed review (apiserver down) is not a verdict on the token: do not cache it, answer 503.
        users.delete(key);
        throw new AuthUnavailableError('cannot verify the token: the Kubernetes API is unavailable', {
          cause: error,
        });
      }
      return info ? principalOf(info) : undefined;
    },
    close: async () => undefined,
  };
}

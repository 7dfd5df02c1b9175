import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

/**
 * A view of `kubeConfig` whose requests share keep-alive connections.
 *
 * client-node 1.x builds a new `https.Agent` for every request (in `applySecurityAuthentication` and
 * `applyToFetchOptions`), so every request opens a TCP connection and does a full TLS handshake — and
 * parses the CA into a new secure context — on the client and on the apiserver. For a controller writing
 * thousands of objects that was most of its CPU (the scale benchmark's profile: TLS setup ≈ 40 % of the
 * controller's busy time). The view hands out one keep-alive agent per set of TLS options instead (the
 * same options client-node computed, so credentials, CA and proxies are untouched: proxy agents pass
 * through as built). Idle sockets do not keep the process alive. `kubeConfig` itself is not changed; the
 * view reads its clusters, users and contexts as they are.
 */
export function reuseConnections(kubeConfig: KubeConfig): KubeConfig {
  const agents = new Map<string, HttpAgent>();
  const shared = <A>(agent: A): A => {
    // Only the plain agents client-node builds (a proxy agent is a subclass and keeps its own behaviour).
    if (!(agent instanceof HttpAgent)) return agent;
    const Kind = agent.constructor;
    if (Kind !== HttpsAgent && Kind !== HttpAgent) return agent;
    const options = (agent as unknown as { options: Record<string, unknown> }).options;
    // A callback (say checkServerIdentity) cannot be compared: such an agent stays its own.
    if (Object.values(options).some((value) => typeof value === 'function')) return agent;
    const key = `${Kind === HttpsAgent ? 'https' : 'http'} ${optionsKey(options)}`;
    let reused = agents.get(key);
    if (!reused) {
      reused =
        Kind === HttpsAgent
          ? new HttpsAgent({ ...options, keepAlive: true })
          : new HttpAgent({ ...options, keepAlive: true });
      agents.set(key, reused);
    }
    return reused as A;
  };
  const view = Object.create(kubeConfig) as KubeConfig;
  view.applySecurityAuthentication = async (context: RequestContext): Promise<void> => {
    await kubeConfig.applySecurityAuthentication.call(view, context);
    const agent = context.getAgent();
    if (agent) context.setAgent(shared(agent));
  };
  view.applyToFetchOptions = async (opts) => {
    const init = await kubeConfig.applyToFetchOptions.call(view, opts);
    return { ...init, agent: shared(init.agent) };
  };
  return view;
}

/** The agent's options as a string: equal strings, same TLS material and settings. */
function optionsKey(options: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(options)
      .sort()
      .map((name) => {
        const value = options[name];
        return [name, Buffer.isBuffer(value) ? value.toString('base64') : value];
      }),
  );
}

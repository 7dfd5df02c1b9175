import { describe, expect, it } from 'vitest';
import type { EndpointReadinessLookup } from '@agent-registry/kube-runtime';
import { serviceOfHost, serviceReadinessPreflight } from '../serviceReadiness.js';

describe('serviceOfHost', () => {
  it('recognises <service>.<namespace>.svc.<domain>', () => {
    expect(serviceOfHost('agent.team-a.svc.cluster.local', 'cluster.local')).toEqual({
      service: 'agent',
      namespace: 'team-a',
    });
    expect(serviceOfHost('Agent.Team.SVC.example.org.', 'example.org')).toEqual({
      service: 'agent',
      namespace: 'team',
    });
  });

  it('ignores other hosts', () => {
    expect(serviceOfHost('127.0.0.1', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('agent.example.com', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('a.b.c.svc.cluster.local', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('agent.team.svc.other.local', 'cluster.local')).toBeUndefined();
  });
});

describe('serviceReadinessPreflight', () => {
  // What the EndpointSlice cache knows: team/up is ready, team/down is not, other namespaces are not covered.
  const endpoints: EndpointReadinessLookup = {
    hasReadyEndpoints: (namespace, service) => (namespace === 'team' ? service === 'up' : undefined),
  };
  const preflight = serviceReadinessPreflight(endpoints, 'cluster.local');

  it('a Service without a ready endpoint is Unhealthy without a request', () => {
    expect(preflight(new URL('http://down.team.svc.cluster.local:8080'))).toEqual({
      health: 'Unhealthy',
      reason: 'service team/down has no ready endpoints',
    });
  });

  it('a ready Service, an uncovered namespace or another host go on to HTTP', () => {
    expect(preflight(new URL('http://up.team.svc.cluster.local:8080'))).toBeUndefined();
    expect(preflight(new URL('http://down.elsewhere.svc.cluster.local'))).toBeUndefined();
    expect(preflight(new URL('https://agent.example.com'))).toBeUndefined();
  });
});

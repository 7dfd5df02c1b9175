/**
 * Writes to AgentCards (and Events) as the kube-apiserver counted them
 * (`apiserver_request_total` on its /metrics), so the benchmark does not have to
 * trust the controller's own counter. The metric has no namespace label:
 * compare snapshots taken around one phase at a time.
 */
export interface ApiServerWrites {
  /** Server-side applies of an AgentCard (verb APPLY, no subresource). */
  apply: number;
  /** Server-side applies of the status subresource. */
  status: number;
  /** Any other write to AgentCards (create, update, patch, delete, deletecollection). */
  otherCardWrites: number;
  /** Events created (events.k8s.io or core). */
  event: number;
}

const WRITE_VERBS = new Set([
  'APPLY',
  'CREATE',
  'POST',
  'UPDATE',
  'PUT',
  'PATCH',
  'DELETE',
  'DELETECOLLECTION',
]);

/** Parses Prometheus text from the apiserver into the counts above. */
export function parseApiServerWrites(metrics: string): ApiServerWrites {
  const counts: ApiServerWrites = { apply: 0, status: 0, otherCardWrites: 0, event: 0 };
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries(
      [...line.slice(line.indexOf('{') + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const value = Number(line.slice(close + 1).trim());
    const verb = labels.verb ?? '';
    if (!WRITE_VERBS.has(verb)) continue;
    if (labels.resource === 'events' && (verb === 'CREATE' || verb === 'POST')) counts.event += value;
    if (labels.group !== 'kagent.dev' || labels.resource !== 'agentcards') continue;
    if (verb === 'APPLY' && labels.subresource === '') counts.apply += value;
    else if (verb === 'APPLY' && labels.subresource === 'status') counts.status += value;
    else counts.otherCardWrites += value;
  }
  return counts;
}

/** Reads the counts through kubectl (`get --raw /metrics`): one request, outside any timed phase. */
export async function readApiServerWrites(
  kubectl: (args: string[]) => Promise<string>,
): Promise<ApiServerWrites> {
  return parseApiServerWrites(await kubectl(['get', '--raw', '/metrics']));
}

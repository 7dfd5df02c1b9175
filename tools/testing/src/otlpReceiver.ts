import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/JSON trace export carried it. */
export interface ReceivedSpan {
  name: string;
  attributes: Record<string, unknown>;
  service?: unknown;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type OtlpJson = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: { spans?: { name: string; attributes?: { key: string; value: AnyValue }[] }[] }[];
  }[];
};

const valueOf = (value: AnyValue): unknown => value.stringValue ?? value.intValue ?? value.boolValue;

function spansOf(body: OtlpJson): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        name: span.name,
        attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
        service: service && valueOf(service.value),
      })),
    );
  });
}

export interface OtlpReceiver {
  /** Base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  url: string;
  /** Every request received, in order. */
  requests: { path: string; contentType: string }[];
  /** Spans of JSON trace exports (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`). */
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

/** A tiny real OTLP/HTTP receiver on 127.0.0.1: records every request, and the spans of JSON trace exports. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      requests.push({ path: request.url ?? '', contentType });
      if (request.url === '/v1/traces' && contentType.includes('json')) {
        spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A module hook that reports every `@opentelemetry/*` module the process resolves on stderr:
 * proof of what the process did (not) load, ESM and dynamic import() alike.
 */
export const REPORT_OTEL_MODULES =
  'data:text/javascript,import{register}from"node:module";register("data:text/javascript,' +
  'export async function resolve(s,c,n){const r=await n(s,c);' +
  'if(r.url.includes(\\"/@opentelemetry/\\"))process.stderr.write(\\"otel-module \\"+r.url+\\"\\\\n\\");return r}")';

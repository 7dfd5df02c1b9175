import { randomUUID } from 'node:crypto';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { isLogEnabled, type Logger } from '../../logger.js';
import type { RegistryMetrics } from '../../metrics.js';
import { clientAddressResolver, type ClientAddressResolver } from '../clientAddress.js';
import type { AppEnv } from '../env.js';
import { requestClientKey } from './rateLimit.js';

const tracer = trace.getTracer('@agent-registry/registry');

/** The matched route pattern (never the raw path, which would explode metric cardinality). */
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const pattern = routePath(c);
  return pattern === '/*' || pattern === '*' ? 'unmatched' : pattern;
}

/**
 * One span, one metric observation and one log line per request, labelled
 * with the matched route pattern. Without a registered tracer provider the span
 * is a non-recording no-op: it is then neither made active nor annotated.
 */
export function observe(
  logger: Logger,
  metrics: RegistryMetrics,
  clientAddress: ClientAddressResolver = clientAddressResolver(),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const span = tracer.startSpan(`HTTP ${c.req.method}`);
    const recording = span.isRecording();
    const requestId = c.req.header('x-request-id')?.slice(0, 128) || randomUUID();
    c.set('requestId', requestId);
    try {
      if (recording) await context.with(trace.setSpan(context.active(), span), next);
      else await next();
    } finally {
      const route = routeOf(c);
      const code = c.res.status;
      const seconds = (performance.now() - started) / 1000;
      metrics.observeRequest(c.req.method, route, code, seconds);
      if (recording) {
        span.updateName(`HTTP ${c.req.method} ${route}`);
        span.setAttributes({
          'http.request.method': c.req.method,
          'http.route': route,
          'http.response.status_code': code,
          'url.path': c.req.path.slice(0, 1024),
        });
        if (code >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      const level = code >= 500 ? 'error' : 'info';
      if (isLogEnabled(logger, level)) {
        logger[level]('request', {
          requestId,
          method: c.req.method,
          route,
          path: c.req.path.slice(0, 1024),
          status: code,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          client: requestClientKey(c, clientAddress),
        });
      }
    }
  };
}

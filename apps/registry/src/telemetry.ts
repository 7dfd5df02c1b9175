import type { Logger } from './logger.js';

/**
 * Starts the OpenTelemetry Node SDK (OTLP/HTTP traces) only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise the API stays a no-op and the
 * SDK is never loaded. Returns the shutdown function.
 */
export async function startTelemetry(
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<(() => Promise<void>) | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  // Without an explicit exporter the SDK builds the OTLP one from the OTEL_* variables (http/protobuf by default).
  const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME || 'agent-registry' });
  sdk.start();
  logger.info('OpenTelemetry tracing enabled', { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  return () => sdk.shutdown();
}

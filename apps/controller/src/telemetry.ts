import type { Logger } from './logger.js';

/** The tracer name of the controller's spans (`reconcile`, `probe`). */
export const TRACER_NAME = 'agent-registry-controller';
export const DEFAULT_SERVICE_NAME = 'agent-registry-controller';

export interface Telemetry {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * else does nothing (spans then go to the API's no-op tracer). The SDK's
 * defaults pick the OTLP/HTTP trace exporter (protocol from
 * OTEL_EXPORTER_OTLP_PROTOCOL, http/protobuf by default); the SDK is loaded
 * lazily so a controller without telemetry does not pay for it.
 */
export async function startTelemetry(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Telemetry> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return { enabled: false, shutdown: async () => undefined };
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    instrumentations: [],
  });
  sdk.start();
  logger.info('OpenTelemetry tracing on', { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  return {
    enabled: true,
    async shutdown() {
      try {
        await sdk.shutdown();
      } catch (error) {
        logger.warn('OpenTelemetry shutdown failed', { error });
      }
    },
  };
}

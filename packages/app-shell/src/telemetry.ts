import type { Logger } from './logger.js';

export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes and stops the SDK; never throws (a failure is logged). */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** `service.name` unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the OpenTelemetry Node SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * else does nothing (spans then go to the API's no-op tracer). Without an
 * explicit exporter the SDK builds the OTLP one from the OTEL_* variables
 * (http/protobuf by default); it is loaded lazily so a process without
 * telemetry does not pay for it.
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const { logger, env = process.env } = options;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return { enabled: false, shutdown: async () => undefined };
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || options.serviceName,
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

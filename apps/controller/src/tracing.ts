/** The tracer of the controller's spans (`reconcile`, `probe`); also its OpenTelemetry service name. */
export const TRACER_NAME = 'agent-registry-controller';

export { envtestCacheDir, envtestKubernetesVersion, resolveBinaries } from './binaries.js';
export type { BinaryResolution, EnvtestBinaries } from './binaries.js';
export { ENVTEST_CONTEXT_KEY } from './context.js';
export type { EnvtestConnection, EnvtestContext, EnvtestUnavailable } from './context.js';
export { loadKubeConfig, runKubectl, startControlPlane } from './controlPlane.js';
export type { ControlPlane, ControlPlaneOptions } from './controlPlane.js';
export {
  installCrds,
  KAGENT_AGENT_CRD,
  kagentAgentCrd,
  kagentAgentCrdFile,
  readManifests,
  TEST_FIELD_MANAGER,
  testCrdFiles,
} from './crds.js';
export { integration, useControlPlane } from './integration.js';
export type { IntegrationControlPlane } from './integration.js';
export { createTestNamespace, TEST_NAMESPACE_LABEL } from './namespace.js';
export type { TestNamespace } from './namespace.js';
export { REPORT_OTEL_MODULES, startOtlpReceiver } from './otlpReceiver.js';
export type { OtlpReceiver, ReceivedSpan } from './otlpReceiver.js';
export { officialA2ASchema } from './officialSchema.js';
export type { OfficialA2ASchema } from './officialSchema.js';
export { pythonVenv, venvCacheDir } from './pythonVenv.js';
export { refuseImports } from './refuseImports.js';
export { isCi, repositoryRoot, sharedDir, sharedFile } from './shared.js';
export { startStreamingServer } from './streamingServer.js';
export type { StreamingServer } from './streamingServer.js';
export type { SharedFile } from './shared.js';

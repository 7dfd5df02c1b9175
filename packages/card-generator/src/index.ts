export { generateAgentCard, type GenerateResult } from './generateAgentCard.js';
export { needsUpdate } from './needsUpdate.js';
export { inheritedLabels, reportedHealth } from './inheritance.js';
export { shouldRegister } from './shouldRegister.js';
export {
  ANNOTATIONS,
  cardMetadataAnnotation,
  DEFAULT_MANAGED_BY,
  MANAGED_BY_LABEL,
  parseCapabilities,
  toCardMetadataAnnotations,
} from './annotations.js';
export { inClusterEndpoint, DEFAULT_NAMESPACE } from './endpoint.js';
export { DEFAULT_OPTIONS, resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
export { DEFAULT_SUMMARY_MAX_BYTES, summarizeDiagnostics, type Diagnostic } from './diagnostics.js';
export { readSource, type ReadSourceResult, type Source } from './readSource.js';
export { toSecurity, type Security, type SecurityScheme } from './authentication.js';
export { slugify } from './skills.js';

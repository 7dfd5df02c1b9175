export * from './agentCard.js';
export * from './a2aAgent.js';
export * from './condition.js';
export * from './kagentAgent.js';
export { limits } from './limits.js';
export * from './objectMeta.js';
export * from './parse.js';
export { errorAt, ROOT_PATH, warningAt, type Problem, type Severity } from './problem.js';
export { list, text, UrlSchema } from './fields.js';
export { A2A_VERSION_PATTERN, parseA2AVersion, type A2AVersionRequest } from './a2aVersion.js';
export {
  ANNOTATIONS_TOTAL_MAX_BYTES,
  annotationsSizeBytes,
  byteLength,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  labelValueProblems,
  qualifiedNameProblems,
  quoteValue,
  validateObjectMeta,
} from './validateObjectMeta.js';
export { DEFAULT_NAMESPACE, namespaceOf } from './namespace.js';
export {
  A2A_AGENT_RESOURCE,
  AGENT_CARD_RESOURCE,
  KAGENT_AGENT_RESOURCE,
  type ResourceDescriptor,
} from './resources.js';
export { isDns1123Label, isDns1123Subdomain } from './dnsNames.js';
export { readBoundedText } from './readBoundedText.js';

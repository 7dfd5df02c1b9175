export * from './agentCard.js';
export * from './a2aAgent.js';
export * from './condition.js';
export * from './kagentAgent.js';
export { limits } from './limits.js';
export * from './objectMeta.js';
export * from './parse.js';
export { list, text, UrlSchema } from './fields.js';
export { parseA2AVersion, type A2AVersionRequest } from './a2aVersion.js';

export type { A2AVersion, Problem } from '@agent-registry/crds';
export type {
  A2ACard,
  A2ACardFor,
  A2ACardV03,
  A2ACardV1,
  AgentCardSignature,
  AgentExtension,
  AgentInterfaceV03,
  AgentInterfaceV1,
  AgentProvider,
  AgentSkillV03,
  AgentSkillV1,
  OAuthFlowsV03,
  OAuthFlowsV1,
  SecurityRequirementV03,
  SecurityRequirementV1,
  SecuritySchemeV03,
  SecuritySchemeV1,
  TranslationResult,
} from './types.js';
export { CORE_TRANSPORTS } from './types.js';
export {
  toA2ACard,
  DEFAULT_MODES,
  DEFAULT_VERSION,
  type AgentCardLike,
  type TranslateOptions,
} from './toA2ACard.js';
export { toCompatibleA2ACard, type A2ACardCompatible } from './compatibleCard.js';
export { fromA2ACard, resourceNameFor, type FromA2ACardResult } from './fromA2ACard.js';
export { convertA2ACard, type ConvertResult } from './convertA2ACard.js';
export { validateA2ACard, type ValidationResult } from './validate.js';
export { detectA2AVersion } from './detect.js';
export { canonicalJson, contentHash } from './canonical.js';
export {
  METADATA_KEYS,
  checkMetadataEntry,
  type CardMetadataKey,
  type CardMetadataValues,
  type MetadataFormat,
  type MetadataKeyInfo,
  type SkillMetadataField,
  type SkillMetadataValues,
} from './metadataKeys.js';
export { A2ACardV03Schema } from './schemas/v03.js';
export { A2ACardV1Schema } from './schemas/v1.js';
export {
  viewCard,
  cardSkillsOf,
  cardDescriptionOf,
  cardDisplayNameOf,
  freshCardSummary,
  skillsOfDocument,
  agentPath,
  agentUrl,
  wellKnownPath,
  type CardView,
  type CardViewOptions,
  type CardViewSource,
  type CardSkill,
  type CardSummary,
  type ViewedCard,
} from './cardView.js';
export { cardViewKey } from './cardViewKey.js';

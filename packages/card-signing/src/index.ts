export {
  SIGNATURE_ALGORITHMS,
  isSignatureAlgorithm,
  defaultAlgorithm,
  algorithmFitsKey,
  type SignatureAlgorithm,
} from './algorithms.js';
export { signingPayload, signingVersion, CardPayloadError } from './signingPayload.js';
export { omitDefaultValuesV1 } from './defaultValuesV1.js';
export { signA2ACard, signA2ACardWithKeys, type SignOptions, type SignedCard } from './signA2ACard.js';
export {
  verifyA2ACard,
  type CardVerification,
  type SignatureCheck,
  type SignatureFailure,
  type VerificationKeys,
  type VerifyOptions,
} from './verifyA2ACard.js';
export {
  toSigningKey,
  isSigningKey,
  SigningKeyError,
  type SigningKey,
  type SigningKeyInput,
} from './signingKey.js';
export { loadSigningKeys } from './loadSigningKeys.js';
export { loadVerificationKeys } from './loadVerificationKeys.js';
export { KeyFileError } from './keyFiles.js';
export { publicJwk } from './publicJwk.js';
export { publicJwks } from './publicJwks.js';
export {
  signatureVerifiedCondition,
  signatureVerifiedConditionOf,
  type ConditionOptions,
  type SignatureVerifiedCondition,
} from './signatureVerifiedCondition.js';
export { jkuKeys, JkuError, type JkuKeys, type JkuKeysOptions } from './jkuKeys.js';
export { SIGNATURE_VERIFIED, isSignatureVerified } from '@agent-registry/crds';

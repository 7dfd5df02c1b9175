import { SIGNATURE_VERIFIED, type AgentCard, type Condition } from '@agent-registry/crds';
import type { JSONWebKeySet, JWK } from 'jose';
import { JkuError, type JkuKeys } from './jkuKeys.js';
import {
  verifyA2ACard,
  type CardVerification,
  type SignatureFailure,
  type VerificationKeys,
  type VerifyOptions,
} from './verifyA2ACard.js';

/** The condition as a reconciler or store sets it (the merge stamps `lastTransitionTime`). */
export type SignatureVerifiedCondition = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'> & {
  type: typeof SIGNATURE_VERIFIED;
};

const REASONS: Record<SignatureFailure, string> = {
  'bad-signature': 'BadSignature',
  'algorithm-not-allowed': 'AlgorithmNotAllowed',
  malformed: 'Malformed',
  'unknown-key': 'UnknownKey',
};

/** When signatures fail for several reasons, the reason named is the most alarming one. */
const SEVERITY: readonly SignatureFailure[] = [
  'bad-signature',
  'algorithm-not-allowed',
  'malformed',
  'unknown-key',
];

/** Condition messages stay short: a card may carry many signatures. */
const MAX_MESSAGE = 1024;

const bounded = (message: string): string =>
  message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;

/**
 * The `SignatureVerified` condition for the outcome of {@link verifyA2ACard}: True (reason `Verified`) when
 * a signature verified against a trusted key; Unknown (reason `Unsigned`) when the card carries none;
 * otherwise False with the reason of the most serious failure (`BadSignature`, `AlgorithmNotAllowed`,
 * `Malformed`, `UnknownKey`). Messages name key IDs and positions, never card content.
 */
export function signatureVerifiedConditionOf(verification: CardVerification): SignatureVerifiedCondition {
  const type = SIGNATURE_VERIFIED;
  if (verification.verified) {
    const kids = [...new Set(verification.verifiedKids)].map((kid) => JSON.stringify(kid)).join(', ');
    return { type, status: 'True', reason: 'Verified', message: bounded(`verified by key ${kids}`) };
  }
  if (verification.problem !== undefined) {
    return { type, status: 'False', reason: 'Malformed', message: bounded(verification.problem) };
  }
  if (!verification.signed)
    return { type, status: 'Unknown', reason: 'Unsigned', message: 'the card carries no signature' };
  const failures = verification.checks.flatMap((check) => (check.verified ? [] : [check]));
  const worst =
    SEVERITY.find((reason) => failures.some((failure) => failure.reason === reason)) ?? 'malformed';
  return {
    type,
    status: 'False',
    reason: REASONS[worst],
    message: bounded(failures.map((failure) => failure.message).join('; ')),
  };
}

/** Where keys beyond the trusted ones may come from. */
export interface ConditionOptions extends VerifyOptions {
  /**
   * Fetches the JWK Set of a signature's `jku` (see {@link jkuKeys}): consulted only for signatures
   * whose `kid` no trusted key has, and only on the origins it allows.
   */
  jku?: JkuKeys;
}

/** Signatures of one card whose `jku` is fetched at most. */
const MAX_JKUS_PER_CARD = 4;

/**
 * Verifies the publisher's signatures on an AgentCard's stored A2A card (`spec.publicCard`) against the
 * trusted keys (and, with `jku`, the JWK Sets of allow-listed origins) and says so as a `SignatureVerified`
 * condition. The one function the controller and the registry's embedded store both use. A card without
 * a `publicCard` is Unknown (`Unsigned`).
 */
export async function signatureVerifiedCondition(
  card: { spec: Pick<AgentCard['spec'], 'publicCard'> },
  keys: VerificationKeys,
  options: ConditionOptions = {},
): Promise<SignatureVerifiedCondition> {
  const { jku, ...verifyOptions } = options;
  // The version comes from the stored card itself (what its publisher signed), not from spec.a2aVersion.
  const publicCard = card.spec.publicCard ?? {};
  const verification = await verifyA2ACard(publicCard, keys, verifyOptions);
  if (verification.verified || !jku) return signatureVerifiedConditionOf(verification);
  const urls = [
    ...new Set(
      verification.checks.flatMap((check) =>
        !check.verified && check.reason === 'unknown-key' && check.jku !== undefined ? [check.jku] : [],
      ),
    ),
  ].slice(0, MAX_JKUS_PER_CARD);
  if (urls.length === 0) return signatureVerifiedConditionOf(verification);
  const fetched: JWK[] = [];
  const problems: string[] = [];
  for (const url of urls) {
    try {
      fetched.push(...(await jku(url)));
    } catch (error) {
      if (!(error instanceof JkuError)) throw error;
      problems.push(error.message);
    }
  }
  const trusted = Array.isArray(keys) ? keys : ((keys as JSONWebKeySet).keys ?? []);
  const second =
    fetched.length > 0
      ? await verifyA2ACard(publicCard, [...trusted, ...fetched], verifyOptions)
      : verification;
  const condition = signatureVerifiedConditionOf(second);
  if (condition.status === 'True' || problems.length === 0) return condition;
  return { ...condition, message: bounded(`${condition.message}; ${problems.join('; ')}`) };
}

import type { KubernetesObject } from '@kubernetes/client-node';
import { healthFields, type ProbeOutcome } from '@agent-registry/agent-prober';
import {
  generateAgentCard,
  MANAGED_BY_LABEL,
  needsUpdate,
  shouldRegister,
  summarizeDiagnostics,
  type GenerateOptions,
} from '@agent-registry/card-generator';
import {
  signatureVerifiedCondition,
  type JkuKeys,
  type VerificationKeys,
} from '@agent-registry/card-signing';
import { SIGNATURE_VERIFIED, type AgentCard, type AgentCardStatus } from '@agent-registry/crds';
import type { CardClient } from './cardClient.js';
import {
  DEGRADED,
  desiredConditions,
  mergeConditions,
  READY,
  sameConditions,
  type CardAssessment,
} from './conditions.js';
import {
  isConflict,
  WriteMemo,
  type OwnWrites,
  type EventRecorder,
  type EventSubject,
  type Logger,
  type ReconcileOutcome as LoopOutcome,
} from '@agent-registry/kube-runtime';
import { parseCardKey, SOURCE_KINDS, sourceKindOf, type SourceKind } from './sources.js';

/** What the reconciler reads: the informer caches. */
export interface ObservedState {
  source(kind: SourceKind, namespace: string, name: string): KubernetesObject | undefined;
  /** True when the cache of `kind` in `namespace` is complete (listed, or the CRD is absent). */
  sourceSynced(kind: SourceKind, namespace: string): boolean;
  card(namespace: string, name: string): AgentCard | undefined;
}

export interface ReconcilerDeps {
  state: ObservedState;
  client: CardClient;
  events: EventRecorder;
  /** Latest probe outcome of a card (undefined: not probed since start, or for another URL). */
  probeOutcome: (key: string, url: string | undefined) => ProbeOutcome | undefined;
  onCardDeleted?: (key: string) => void;
  /** Writes the cache has not caught up with (feed it card events with {@link WriteMemo.observe}). */
  specMemo?: WriteMemo;
  statusMemo?: WriteMemo;
  /** Records the resourceVersion of each write, so the controller can drop its watch echo (see {@link OwnWrites}). */
  ownWrites?: OwnWrites;
  generateOptions: GenerateOptions & { managedBy: string };
  probeIntervalMs: number;
  /** Keys trusted for publishers' card signatures: the card gets a SignatureVerified condition. Absent = not checked. */
  signatureTrust?: { keys: VerificationKeys; jku?: JkuKeys };
  logger: Logger;
  now?: () => Date;
}

export type ReconcileAction = 'none' | 'applied' | 'status' | 'applied+status' | 'deleted' | 'skipped';

export interface ReconcileOutcome extends LoopOutcome {
  action: ReconcileAction;
}

export const EVENT_REASON_INVALID_ANNOTATION = 'InvalidAnnotation';
export const EVENT_REASON_CONFLICT = 'Conflict';
const OUR_CONDITIONS: readonly string[] = [READY, DEGRADED, SIGNATURE_VERIFIED];
/** How soon a key waiting for a cache is looked at again. */
export const CACHE_WAIT_REQUEUE_MS = 2000;

const subjectOf = (object: KubernetesObject): EventSubject => ({
  apiVersion: object.apiVersion ?? '',
  kind: object.kind ?? '',
  namespace: object.metadata?.namespace ?? '',
  name: object.metadata?.name ?? '',
  uid: object.metadata?.uid,
});

/** Our card: it carries our managed-by label. */
export function isManaged(card: AgentCard, managedBy: string): boolean {
  return card.metadata.labels?.[MANAGED_BY_LABEL] === managedBy;
}

/** The source kind a managed card says it was generated from (controller owner reference, else sourceRef). */
function ownerKindOf(card: AgentCard): SourceKind | undefined {
  const owner =
    card.metadata.ownerReferences?.find((ref) => ref.controller) ?? card.metadata.ownerReferences?.[0];
  if (owner) return sourceKindOf(owner.apiVersion, owner.kind);
  return sourceKindOf(card.spec.sourceRef?.apiVersion, card.spec.sourceRef?.kind);
}

function sameStatus(a: AgentCardStatus | undefined, b: AgentCardStatus): boolean {
  return (
    a !== undefined &&
    a.health === b.health &&
    a.lastSeen === b.lastSeen &&
    a.observedGeneration === b.observedGeneration &&
    sameConditions(a.conditions, b.conditions)
  );
}

/**
 * Reconciles one card key (`namespace/name`) toward what its agents say, from
 * the caches alone: level-triggered (the same state always leads to the same
 * writes) and idempotent (a second run after success writes nothing).
 */
export function createReconciler(deps: ReconcilerDeps): (key: string) => Promise<ReconcileOutcome> {
  const { state, client, events, logger } = deps;
  const managedBy = deps.generateOptions.managedBy;
  const now = deps.now ?? (() => new Date());
  const specMemo = deps.specMemo ?? new WriteMemo();
  const statusMemo = deps.statusMemo ?? new WriteMemo();

  return async function reconcile(key: string): Promise<ReconcileOutcome> {
    const { namespace, name } = parseCardKey(key);
    const card = state.card(namespace, name);

    // 1. Which agent (if any) owns this card: the first registering one in precedence order.
    const registering = SOURCE_KINDS.map((kind) => ({
      kind,
      object: state.source(kind, namespace, name),
    })).filter(
      (c): c is { kind: SourceKind; object: KubernetesObject } =>
        c.object !== undefined && !c.object.metadata?.deletionTimestamp && shouldRegister(c.object),
    );
    const winner = registering[0];
    for (const loser of registering.slice(1)) {
      await events.emit(
        subjectOf(loser.object),
        'Warning',
        EVENT_REASON_CONFLICT,
        'Register',
        `AgentCard ${namespace}/${name} is generated from the ${winner?.kind.resource.apiVersion} Agent of the same name, which takes precedence; this Agent has no card while both exist`,
      );
    }

    // 2. Nobody wants a card: remove ours, if the cache of its agent's kind is complete.
    if (!winner) {
      if (!card || !isManaged(card, managedBy)) return { action: 'none', detail: 'no registering agent' };
      const ownerKind = ownerKindOf(card);
      if (ownerKind && !state.sourceSynced(ownerKind, namespace)) {
        return {
          action: 'skipped',
          detail: `cache of ${ownerKind.resource.apiVersion} not synced`,
          requeueAfterMs: CACHE_WAIT_REQUEUE_MS,
        };
      }
      await client.delete(namespace, name, card.metadata.uid);
      deps.onCardDeleted?.(key);
      logger.info('deleted card', { key, reason: 'no registering agent' });
      return { action: 'deleted' };
    }

    // 3. A card of the same name that is not ours: never take it over.
    const leaveForeignCardAlone = async (): Promise<ReconcileOutcome> => {
      await events.emit(
        subjectOf(winner.object),
        'Warning',
        EVENT_REASON_CONFLICT,
        'Register',
        `AgentCard ${namespace}/${name} exists and is not managed by ${managedBy} (label ${MANAGED_BY_LABEL}); leaving it alone`,
      );
      return { action: 'skipped', detail: 'foreign card' };
    };
    if (card && !isManaged(card, managedBy)) return leaveForeignCardAlone();

    // 4. Generate; diagnostics become an Event on the agent (deduplicated) and conditions on the card.
    //    Errors, and warnings about an annotation, degrade the card; other warnings (a default
    //    skill was added) are the generator explaining itself and stay out of conditions and events.
    const { card: desired, diagnostics: all } = generateAgentCard(winner.object, deps.generateOptions);
    const diagnostics = all.filter((d) => d.severity === 'error' || d.annotation !== undefined);
    const message = summarizeDiagnostics(diagnostics);
    const assessment: CardAssessment = {
      hasErrors: desired === undefined || diagnostics.some((d) => d.severity === 'error'),
      hasDiagnostics: diagnostics.length > 0 || desired === undefined,
      message: message || (desired === undefined ? 'the agent could not be turned into a card' : ''),
    };
    if (diagnostics.length > 0) {
      await events.emit(
        subjectOf(winner.object),
        'Warning',
        EVENT_REASON_INVALID_ANNOTATION,
        'GenerateCard',
        message,
      );
    }

    // 5. Write the spec only when its content hash (or our labels/owner) changed.
    let stored = card;
    let applied = false;
    const cachedVersion = card?.metadata.resourceVersion;
    const specContent = desired ? JSON.stringify([desired.metadata, desired.spec.contentHash]) : '';
    if (desired && needsUpdate(card, desired) && !specMemo.isPending(key, cachedVersion, specContent)) {
      try {
        // Not in the cache yet: someone else's card may exist all the same (made after the cache last heard).
        stored = await client.apply(desired, { force: card !== undefined });
      } catch (error) {
        if (card === undefined && isConflict(error)) return leaveForeignCardAlone();
        throw error;
      }
      deps.ownWrites?.record(key, stored.metadata.resourceVersion);
      specMemo.remember(key, cachedVersion, specContent);
      applied = true;
      logger.info(card ? 'updated card' : 'created card', { key, contentHash: desired.spec.contentHash });
    }
    // An unusable agent with no card yet: nothing to put a status on.
    if (!stored) return { action: 'none', detail: 'agent unusable, no card' };

    // 6. Status: conditions from the diagnostics, health from the prober; written only when it changes.
    // Only our condition types are sent: conditions is a map list, so others' conditions stay theirs.
    const generation = stored.metadata.generation;
    const observed = stored.status;
    const ourConditions = observed?.conditions?.filter((c) => OUR_CONDITIONS.includes(c.type));
    const wanted = desiredConditions(assessment, generation);
    if (deps.signatureTrust) {
      const { keys, jku } = deps.signatureTrust;
      const signature = await signatureVerifiedCondition(stored, keys, { jku });
      wanted.push(generation === undefined ? signature : { ...signature, observedGeneration: generation });
    }
    const status: AgentCardStatus = {
      ...(generation === undefined ? {} : { observedGeneration: generation }),
      conditions: mergeConditions(ourConditions, wanted, now()),
      ...healthFields(observed, deps.probeOutcome(key, stored.spec.endpoints?.[0]), deps.probeIntervalMs),
    };
    if (sameStatus(observed && { ...observed, conditions: ourConditions }, status)) {
      return { action: applied ? 'applied' : 'none' };
    }
    // Transition times are left out: two reconciles on the same stale cache stamp different seconds.
    const statusContent = JSON.stringify({
      ...status,
      conditions: status.conditions?.map(({ lastTransitionTime: _time, ...rest }) => rest),
    });
    const storedVersion = stored.metadata.resourceVersion;
    if (statusMemo.isPending(key, storedVersion, statusContent))
      return { action: applied ? 'applied' : 'none' };
    const written = await client.applyStatus(namespace, name, status);
    deps.ownWrites?.record(key, written.metadata?.resourceVersion);
    statusMemo.remember(key, storedVersion, statusContent);
    return { action: applied ? 'applied+status' : 'status' };
  };
}

import * as v from 'valibot';
import {
  DEFAULT_A2A_VERSION,
  errorAt,
  parseWith,
  ROOT_PATH,
  type A2AVersion,
  type Problem,
} from '@agent-registry/crds';
import { detectA2AVersion } from './detect.js';
import { A2ACardV03Schema } from './schemas/v03.js';
import { A2ACardV1Schema } from './schemas/v1.js';
import type { A2ACardV03, A2ACardV1 } from './types.js';

/**
 * A card document checked against one A2A version (`version`: the one asked for, else the detected
 * one, else 0.3.0). Valid, it is `card`: the document itself (not a copy), typed for that version.
 * Invalid, `issues` say where and why.
 */
export type ValidationResult =
  | { ok: true; version: '1.0'; card: A2ACardV1; issues: Problem[] }
  | { ok: true; version: '0.3.0'; card: A2ACardV03; issues: Problem[] }
  | { ok: false; version: A2AVersion; issues: Problem[] };

/** Whether `json` is valid, as a type guard; false for a value that throws when read. */
function holds<S extends v.GenericSchema>(schema: S, json: unknown): json is v.InferInput<S> {
  try {
    return v.is(schema, json);
  } catch {
    return false;
  }
}

/** The problems of an invalid document, path by path (a second pass: valid documents never pay for it). */
function invalid(version: A2AVersion, schema: v.GenericSchema, json: unknown): ValidationResult {
  const result = parseWith(schema, json);
  // A document that reads differently the second time (a getter) has no other problem to show.
  const issues = result.ok ? [errorAt(ROOT_PATH, 'could not be read consistently')] : result.issues;
  return { ok: false, version, issues };
}

/** Checks a card document against A2A 0.3.0 or 1.0 with path-precise issues. Never throws. */
export function validateA2ACard(json: unknown, version?: A2AVersion): ValidationResult {
  const target = version ?? detectA2AVersion(json) ?? DEFAULT_A2A_VERSION;
  if (target === '1.0') {
    return holds(A2ACardV1Schema, json)
      ? { ok: true, version: target, card: json, issues: [] }
      : invalid(target, A2ACardV1Schema, json);
  }
  return holds(A2ACardV03Schema, json)
    ? { ok: true, version: target, card: json, issues: [] }
    : invalid(target, A2ACardV03Schema, json);
}

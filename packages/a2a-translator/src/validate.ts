import { DEFAULT_A2A_VERSION, parseWith, type A2AVersion, type Issue } from '@agent-registry/crds';
import { detectA2AVersion } from './detect.js';
import { A2ACardV03Schema } from './schemas/v03.js';
import { A2ACardV1Schema } from './schemas/v1.js';

export interface ValidationResult {
  valid: boolean;
  /** The version validated against: the one asked for, else the detected one, else 0.3.0. */
  version: A2AVersion;
  issues: Issue[];
}

/** Checks a card document against A2A 0.3.0 or 1.0 with path-precise issues. Never throws. */
export function validateA2ACard(json: unknown, version?: A2AVersion): ValidationResult {
  const target = version ?? detectA2AVersion(json) ?? DEFAULT_A2A_VERSION;
  const result = parseWith(target === '1.0' ? A2ACardV1Schema : A2ACardV03Schema, json);
  return result.success
    ? { valid: true, version: target, issues: [] }
    : { valid: false, version: target, issues: result.issues };
}

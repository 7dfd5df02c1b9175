import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sharedFile } from './shared.js';

const SCHEMA = 'spec/a2a-v0.3.0.schema.json';

/** The official A2A v0.3.0 JSON schema (from `../shared/spec`), or why it is unavailable. */
export type OfficialA2ASchema =
  | {
      available: true;
      /** ajv's errors for `card` against the schema's AgentCard definition; [] when valid. */
      agentCardErrors(card: unknown): unknown[];
    }
  | { available: false; reason: string };

let cached: OfficialA2ASchema | undefined;

/** Compiles the official schema once per test file; see {@link sharedFile} for a missing `../shared`. */
export function officialA2ASchema(): OfficialA2ASchema {
  if (cached) return cached;
  const file = sharedFile(SCHEMA);
  if (!file.available) return (cached = file);
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  ajv.addSchema(JSON.parse(readFileSync(file.path, 'utf8')) as object, 'a2a');
  const validate: ValidateFunction = ajv.compile({ $ref: 'a2a#/definitions/AgentCard' });
  return (cached = {
    available: true,
    agentCardErrors: (card) => (validate(card) ? [] : [...(validate.errors ?? [])]),
  });
}

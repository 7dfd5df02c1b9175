import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/** ajv's errors for `card` against the official A2A v0.3.0 AgentCard definition; [] when valid (test-only). */
export function officialV03Errors(card: unknown): unknown[] {
  validate ??= compile();
  return validate(card) ? [] : [...(validate.errors ?? [])];
}

let validate: ReturnType<typeof compile> | undefined;
function compile() {
  const schema = JSON.parse(readFileSync('/work/shared/spec/a2a-v0.3.0.schema.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  ajv.addSchema(schema, 'a2a');
  return ajv.compile({ $ref: 'a2a#/definitions/AgentCard' });
}

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The official A2A v0.3.0 JSON schema's AgentCard definition, compiled with ajv (test-only). */
const schema = JSON.parse(readFileSync('/work/shared/spec/a2a-v0.3.0.schema.json', 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: false });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema(schema, 'a2a.json');

export const officialV03 = ajv.getSchema('a2a.json#/definitions/AgentCard')!;

import * as v from 'valibot';
import { isPlainObject } from '../json.js';

/**
 * Building blocks that follow JSON Schema semantics rather than valibot's
 * defaults: an "object" is never an array, unknown keys are allowed, and a
 * map checks every own key, including `__proto__` and `constructor` (which
 * valibot's `record` skips).
 */

export const str = v.string('must be a string');
export const bool = v.boolean('must be a boolean');
export const strings = v.array(str, 'must be an array of strings');

const plainObject = v.custom<Record<string, unknown>>(isPlainObject, 'must be an object');

/** An object with known entries and any other keys, like JSON Schema `type: object` + `properties`. */
export const obj = <E extends v.ObjectEntries>(entries: E) => v.pipe(plainObject, v.looseObject(entries));

/** Any JSON object (`additionalProperties: {}`). */
export const anyObject = plainObject;

/** A JSON object whose every value matches `schema` (`additionalProperties: schema`). */
export function mapOf<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    plainObject,
    v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value;
      for (const key of Object.keys(input)) {
        const value = input[key];
        const result = v.safeParse(schema, value, { abortPipeEarly: true });
        if (result.success) continue;
        for (const issue of result.issues) {
          addIssue({
            message: issue.message,
            received: issue.received,
            path: [{ type: 'object', origin: 'value', input, key, value }, ...(issue.path ?? [])],
          });
        }
      }
    }),
  ) as unknown as v.GenericSchema<Record<string, v.InferOutput<S>>>;
}

/** A JSON object with exactly one of `members` set (a ProtoJSON oneof). */
export function oneOf<M extends Record<string, v.GenericSchema>>(members: M, what: string) {
  const names = Object.keys(members);
  return v.pipe(
    plainObject,
    v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value;
      const present = names.filter((name) => Object.hasOwn(input, name));
      if (present.length !== 1) {
        addIssue({
          message: `must set exactly one ${what} (${names.join(', ')}); found ${present.length === 0 ? 'none' : present.join(', ')}`,
        });
        return;
      }
      const key = present[0] as string;
      const value = input[key];
      const result = v.safeParse(members[key] as v.GenericSchema, value, { abortPipeEarly: true });
      if (result.success) return;
      for (const issue of result.issues) {
        addIssue({
          message: issue.message,
          received: issue.received,
          path: [{ type: 'object', origin: 'value', input, key, value }, ...(issue.path ?? [])],
        });
      }
    }),
  ) as unknown as v.GenericSchema;
}

export const AgentProviderSchema = obj({ organization: str, url: str });
export const AgentExtensionSchema = obj({
  uri: str,
  description: v.optional(str),
  required: v.optional(bool),
  params: v.optional(anyObject),
});
export const AgentCardSignatureSchema = obj({
  protected: str,
  signature: str,
  header: v.optional(anyObject),
});

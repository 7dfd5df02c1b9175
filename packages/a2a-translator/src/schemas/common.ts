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

/** Keys whose value can only be `undefined`: the fields an object schema rejects (`v.optional(v.never())`). */
type RejectedKeys<T> = { [K in keyof T]-?: [Exclude<T[K], undefined>] extends [never] ? K : never }[keyof T];

/**
 * What an `obj(entries)` holds, as a type: its known entries, without the ones it rejects. Other keys
 * pass through at run time (the schema is loose, as JSON Schema is) but are not part of the type, so a
 * misspelt field is a compile error.
 */
export type KnownEntries<E extends v.ObjectEntries> = Omit<
  v.InferOutput<v.ObjectSchema<E, undefined>>,
  RejectedKeys<v.InferOutput<v.ObjectSchema<E, undefined>>>
>;

/** An object type without its index signature (a `v.looseObject`'s output, as {@link KnownEntries} types it). */
export type WithoutIndexSignature<T> = T extends unknown
  ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] }
  : never;

/**
 * An object with known entries and any other keys, like JSON Schema `type: object` + `properties`.
 * Typed as its known entries, in and out (nothing is transformed), so `v.is` narrows to them.
 */
export const obj = <E extends v.ObjectEntries>(entries: E) =>
  v.pipe(plainObject, v.looseObject(entries)) as unknown as v.GenericSchema<KnownEntries<E>>;

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

/** One member of `M` set: `{ a: A } | { b: B }`. */
export type OneOfOutput<M extends Record<string, v.GenericSchema>> = {
  [K in keyof M]: { [P in K]: v.InferOutput<M[K]> };
}[keyof M];

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
      const [key] = present;
      const member = key === undefined ? undefined : members[key];
      if (key === undefined || member === undefined) return;
      const value = input[key];
      const result = v.safeParse(member, value, { abortPipeEarly: true });
      if (result.success) return;
      for (const issue of result.issues) {
        addIssue({
          message: issue.message,
          received: issue.received,
          path: [{ type: 'object', origin: 'value', input, key, value }, ...(issue.path ?? [])],
        });
      }
    }),
  ) as unknown as v.GenericSchema<OneOfOutput<M>>;
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

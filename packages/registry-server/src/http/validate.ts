import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import { uniqueSymbol, validator } from 'hono-openapi';
import { badRequest } from './status.js';

/** The Standard Schema issue shape (kept local: @standard-schema/spec is not a direct dependency). */
interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

type Schema = Parameters<typeof validator>[1];

function fieldOf(issue: Issue): string {
  return (issue.path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}

/**
 * hono-openapi's validator (so the schema lands in /openapi.json) with
 * failures rendered as a 400 Status naming each bad field.
 *
 * `fast`, for hot routes, checks the common case by hand and returns the value the schema would
 * produce, or `undefined` to leave the decision to the schema (every failure goes that way, so the
 * errors are the schema's).
 */
export function validate<S extends Schema, T extends keyof ValidationTargets>(
  target: T,
  schema: S,
  fast?: (c: Context) => object | undefined,
) {
  const full = schemaValidator(target, schema);
  if (!fast) return full;
  const middleware: MiddlewareHandler = (c, next) => {
    const value = fast(c);
    if (value === undefined) return full(c, next);
    c.req.addValidatedData(target, value);
    return next();
  };
  Object.defineProperty(middleware, 'name', { value: 'validator', configurable: true });
  // The marker hono-openapi reads to put the schema in /openapi.json.
  const openApi = (full as unknown as Record<typeof uniqueSymbol, unknown>)[uniqueSymbol];
  return Object.assign(middleware, { [uniqueSymbol]: openApi }) as unknown as typeof full;
}

function schemaValidator<S extends Schema, T extends keyof ValidationTargets>(target: T, schema: S) {
  return validator(target, schema, (result) => {
    if (result.success) return;
    const issues = (result.error ?? []) as readonly Issue[];
    const causes = issues
      .slice(0, 20)
      .map((issue) => ({ field: fieldOf(issue) || target, message: issue.message }));
    const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join('; ');
    throw badRequest(`invalid ${target === 'param' ? 'path' : target}: ${summary}`, causes);
  });
}

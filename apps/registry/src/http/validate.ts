import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
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
 */
export function validate<S extends Schema, T extends keyof ValidationTargets>(target: T, schema: S) {
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

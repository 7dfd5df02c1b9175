import type { Status, StatusReason } from '@agent-registry/registry-client';
import * as v from 'valibot';

// The error shape is the read contract's (@agent-registry/registry-client), which clients parse.
export type { Status, StatusReason } from '@agent-registry/registry-client';

export const StatusSchema = v.object({
  apiVersion: v.literal('v1'),
  kind: v.literal('Status'),
  metadata: v.object({}),
  status: v.literal('Failure'),
  code: v.number(),
  reason: v.string(),
  message: v.string(),
  details: v.optional(
    v.object({
      name: v.optional(v.string()),
      kind: v.optional(v.string()),
      causes: v.optional(v.array(v.object({ field: v.optional(v.string()), message: v.string() }))),
    }),
  ),
});

export function status(
  code: number,
  reason: StatusReason,
  message: string,
  details?: Status['details'],
): Status {
  const body: Status = {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    code,
    reason,
    message,
  };
  if (details) body.details = details;
  return body;
}

/** A Status as a Response (usable outside a Hono context, e.g. from the not-found handler). */
export function statusResponse(body: Status, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.code,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Thrown by handlers and middleware; the error handler renders it as a Status. */
export class StatusError extends Error {
  constructor(
    readonly body: Status,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'StatusError';
  }
}

export const badRequest = (message: string, causes?: { field?: string; message: string }[]): StatusError =>
  new StatusError(status(400, 'BadRequest', message, causes ? { causes } : undefined));

export const notFound = (message: string, details?: Status['details']): StatusError =>
  new StatusError(status(404, 'NotFound', message, details));

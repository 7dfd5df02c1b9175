/** The Kubernetes `Status` reasons the registry's REST API answers with. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

/** The body of every error the registry's REST API answers: a Kubernetes `Status`. */
export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never>;
  status: 'Failure';
  code: number;
  reason: StatusReason;
  message: string;
  details?: { name?: string; kind?: string; causes?: { field?: string; message: string }[] };
}

/** A non-2xx answer from the registry, with the message and reason of its `Status` body when it sent one. */
export class RegistryRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'RegistryRequestError';
  }
}

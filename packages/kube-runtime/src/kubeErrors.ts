/** The HTTP status of a client-node error (ApiException `code`, Watch `statusCode`), if any. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

export const isNotFound = (error: unknown): boolean => httpStatus(error) === 404;
export const isConflict = (error: unknown): boolean => httpStatus(error) === 409;
export const isGone = (error: unknown): boolean => httpStatus(error) === 410;

/** A short description of a client-node error without its (large) response body. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = httpStatus(error);
  const body = (error as { body?: unknown }).body;
  let reason = '';
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) reason = parsed.message;
    } catch {
      // not a Status object
    }
  }
  const head = error.message.split('\n')[0] ?? '';
  return [status === undefined ? '' : `HTTP ${status}`, reason || head].filter(Boolean).join(': ');
}

import type { Problem } from '@agent-registry/crds';

/**
 * One problem found while turning an agent into a card: a crds `Problem` whose `path` points into
 * the source (`metadata.annotations["kagent.dev/a2a-endpoint"]`, `spec.endpoints[1].url`). `error`
 * means some input was rejected (the card, if any, was built without it); `warning` means the input
 * was accepted but adjusted or is worth a look.
 */
export interface Diagnostic extends Problem {
  /** The annotation key, when the problem is in one. */
  annotation?: string;
}

/** Kubernetes Events (events.k8s.io/v1 `note`) hold at most 1 KiB; conditions allow more but stay readable this way. */
export const DEFAULT_SUMMARY_MAX_BYTES = 1024;

const encoder = new TextEncoder();

function truncateToBytes(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  const ellipsis = '…';
  const budget = maxBytes - encoder.encode(ellipsis).length;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (used + size > budget) break;
    out += char;
    used += size;
  }
  return out + ellipsis;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * A one-line message for a `Degraded` condition or an Event, errors first,
 * never longer than `maxBytes` UTF-8 bytes. Empty string when there is nothing to say.
 */
export function summarizeDiagnostics(
  diagnostics: readonly Diagnostic[],
  maxBytes: number = DEFAULT_SUMMARY_MAX_BYTES,
): string {
  if (diagnostics.length === 0) return '';
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity !== 'error');
  const counts = [
    errors.length > 0 ? count(errors.length, 'error') : '',
    warnings.length > 0 ? count(warnings.length, 'warning') : '',
  ]
    .filter(Boolean)
    .join(', ');
  const details = [...errors, ...warnings]
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ')
    // A message is one line: newlines or tabs smuggled in through user input are flattened.
    .replace(/\s+/g, ' ');
  return truncateToBytes(`${counts}: ${details}`, Math.max(maxBytes, 16));
}

export const error = (path: string, message: string, annotation?: string): Diagnostic =>
  annotation === undefined
    ? { severity: 'error', path, message }
    : { severity: 'error', path, message, annotation };

export const warning = (path: string, message: string, annotation?: string): Diagnostic =>
  annotation === undefined
    ? { severity: 'warning', path, message }
    : { severity: 'warning', path, message, annotation };

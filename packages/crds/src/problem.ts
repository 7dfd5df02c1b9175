/**
 * One problem with some input: how bad it is, where it is, and what to do about it. Every package
 * reports in this shape — the parsers here, the translator's warnings and issues, the card
 * generator's diagnostics, the registry's manifest problems — so one printer, one filter and one
 * summary serve them all. A reporter that knows more (the annotation, the file and line) extends
 * it with optional fields.
 */
export interface Problem {
  /** `error`: the input was rejected; `warning`: it was accepted but adjusted, or is worth a look. */
  severity: 'error' | 'warning';
  /**
   * Where: a JSON path such as `spec.endpoints[0]` or `metadata.annotations["kagent.dev/capabilities"]`
   * (see `formatPath`), `(root)` for the input as a whole.
   */
  path: string;
  /** What is wrong, phrased so a person can act on it. */
  message: string;
}

export type Severity = Problem['severity'];

/** The path of a problem with the input as a whole (`formatPath([])`). */
export const ROOT_PATH = '(root)';

/** An `error` problem at `path`. */
export const errorAt = (path: string, message: string): Problem => ({ severity: 'error', path, message });

/** A `warning` problem at `path`. */
export const warningAt = (path: string, message: string): Problem => ({ severity: 'warning', path, message });

import { checkMetadataEntry } from '@agent-registry/a2a-translator';
import { formatPath, limits } from '@agent-registry/crds';
import { ANNOTATIONS, annotationPath, cardMetadataAnnotation, type Annotations } from './annotations.js';
import { error, warning, type Diagnostic } from './diagnostics.js';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses JSON without throwing. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What to write instead of the old two-slash annotation for `key`. */
function replacementFor(key: string): string {
  const annotation = cardMetadataAnnotation(key);
  return annotation !== undefined
    ? `use "${annotation}"`
    : `put ${JSON.stringify(key)} in the "${ANNOTATIONS.cardMetadata}" JSON object`;
}

/**
 * Builds `spec.metadata`. Every entry is checked with the translator's
 * `checkMetadataEntry`, so a key the translator would ignore or a value it
 * would reject never reaches a card: it becomes a diagnostic instead.
 */
export class CardMetadata {
  readonly #entries = new Map<string, string>();
  readonly diagnostics: Diagnostic[] = [];

  /** Sets `key` unless the translator rejects it; `path`/`annotation` say where the value came from. */
  set(key: string, value: string, path: string, annotation?: string): void {
    const reason =
      value.length > limits.text
        ? `must be at most ${limits.text} characters`
        : checkMetadataEntry(key, value);
    if (reason !== undefined) {
      this.diagnostics.push(error(path, reason, annotation));
      return;
    }
    this.#entries.set(key, value);
  }

  /**
   * Applies the card-metadata annotations; they override values derived from the spec.
   * First the `kagent.dev/card-metadata` JSON object, then each `kagent.dev/card-<key>`
   * (which wins over the same key in the object). The old `kagent.dev/card-metadata/<key>`
   * form is an error naming its replacement: a cluster rejects such a key, so honouring
   * it would make a file work in the embedded store and fail with `kubectl apply`.
   */
  applyAnnotations(annotations: Annotations | undefined): void {
    if (annotations === undefined) return;
    const fromObject = new Set<string>();
    const json = Object.hasOwn(annotations, ANNOTATIONS.cardMetadata)
      ? annotations[ANNOTATIONS.cardMetadata]
      : undefined;
    if (json !== undefined) {
      for (const key of this.#applyObject(json)) fromObject.add(key);
    }
    for (const [annotation, value] of Object.entries(annotations)) {
      if (annotation === ANNOTATIONS.cardMetadata) continue;
      if (annotation.startsWith(ANNOTATIONS.invalidCardMetadataPrefix)) {
        const key = annotation.slice(ANNOTATIONS.invalidCardMetadataPrefix.length);
        this.diagnostics.push(
          error(
            annotationPath(annotation),
            `is not a valid annotation key (a Kubernetes annotation key has at most one "/", so a cluster rejects it) and was ignored; ${replacementFor(key)}`,
            annotation,
          ),
        );
        continue;
      }
      if (!annotation.startsWith(ANNOTATIONS.cardMetadataPrefix)) continue;
      const key = annotation.slice(ANNOTATIONS.cardMetadataPrefix.length);
      if (fromObject.has(key)) {
        this.diagnostics.push(
          warning(
            annotationPath(annotation),
            `overrides ${JSON.stringify(key)} of the "${ANNOTATIONS.cardMetadata}" annotation`,
            annotation,
          ),
        );
      }
      this.set(key, value, annotationPath(annotation), annotation);
    }
  }

  /** Applies the entries of the JSON object annotation; returns the keys it set. */
  #applyObject(json: string): string[] {
    const annotation = ANNOTATIONS.cardMetadata;
    const path = annotationPath(annotation);
    const parsed = parseJson(json);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.diagnostics.push(
        error(path, 'must be a JSON object of card-metadata keys to string values; ignored', annotation),
      );
      return [];
    }
    const entries = Object.entries(parsed.value);
    if (entries.length > limits.metadataEntries) {
      this.diagnostics.push(
        error(
          path,
          `holds ${entries.length} entries; at most ${limits.metadataEntries} are read, the rest were dropped`,
          annotation,
        ),
      );
    }
    const set: string[] = [];
    for (const [key, value] of entries.slice(0, limits.metadataEntries)) {
      const entryPath = formatPath(['metadata', 'annotations', annotation, key]);
      if (typeof value !== 'string') {
        this.diagnostics.push(
          error(
            entryPath,
            'must be a string (card-metadata values are strings, as in spec.metadata)',
            annotation,
          ),
        );
        continue;
      }
      const before = this.diagnostics.length;
      this.set(key, value, entryPath, annotation);
      if (this.diagnostics.length === before) set.push(key);
    }
    return set;
  }

  /** The entries sorted by key (the hash does not care, but people reading `kubectl get -o yaml` do). */
  toRecord(): Record<string, string> | undefined {
    if (this.#entries.size === 0) return undefined;
    const record: Record<string, string> = {};
    // The default sort orders strings by UTF-16 code units, as `<` does. Keys were checked, so none is `__proto__`.
    for (const key of [...this.#entries.keys()].sort()) record[key] = this.#entries.get(key) as string;
    return record;
  }
}

import { checkMetadataEntry } from '@agent-registry/a2a-translator';
import { limits } from '@agent-registry/crds';
import { ANNOTATIONS, annotationPath, type Annotations } from './annotations.js';
import { error, type Diagnostic } from './diagnostics.js';

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

  /** Applies every `kagent.dev/card-metadata/<key>` annotation; they override values derived from the spec. */
  applyAnnotations(annotations: Annotations | undefined): void {
    if (annotations === undefined) return;
    for (const [annotation, value] of Object.entries(annotations)) {
      if (!annotation.startsWith(ANNOTATIONS.cardMetadataPrefix)) continue;
      const key = annotation.slice(ANNOTATIONS.cardMetadataPrefix.length);
      this.set(key, value, annotationPath(annotation), annotation);
    }
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

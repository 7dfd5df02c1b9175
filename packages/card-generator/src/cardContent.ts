import { A2A_VERSIONS, type A2AVersion, type Skill } from '@agent-registry/crds';
import { ANNOTATIONS, annotation, annotationPath, type Annotations } from './annotations.js';
import { CardMetadata } from './cardMetadata.js';
import { error, type Diagnostic } from './diagnostics.js';
import { isA2AVersion, type ResolvedOptions } from './options.js';

/** What a source contributes to its card's spec, before rendering and hashing. */
export interface CardContent {
  a2aVersion: A2AVersion;
  metadata: CardMetadata;
  endpoints: string[];
  capabilities: string[];
  skills: Skill[];
  diagnostics: Diagnostic[];
}

/** The parts every source kind shares: the A2A version (option, or the `kagent.dev/a2a-version` annotation). */
export function baseContent(annotations: Annotations | undefined, options: ResolvedOptions): CardContent {
  const content: CardContent = {
    a2aVersion: options.a2aVersion,
    metadata: new CardMetadata(),
    endpoints: [],
    capabilities: [],
    skills: [],
    diagnostics: [],
  };
  const version = annotation(annotations, ANNOTATIONS.a2aVersion);
  if (version !== undefined) {
    const trimmed = version.trim();
    if (isA2AVersion(trimmed)) content.a2aVersion = trimmed;
    else {
      content.diagnostics.push(
        error(
          annotationPath(ANNOTATIONS.a2aVersion),
          `must be one of ${A2A_VERSIONS.join(', ')}; using ${options.a2aVersion}`,
          ANNOTATIONS.a2aVersion,
        ),
      );
    }
  }
  return content;
}

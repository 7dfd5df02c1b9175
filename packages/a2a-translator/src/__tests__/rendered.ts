import type { Problem, TranslationResult } from '../index.js';

/** The card of a translation that must succeed; a failed one fails the test with its issues. */
export function rendered<C>(result: TranslationResult<C>): { card: C; warnings: Problem[] } {
  if (!result.ok) throw new Error(`toA2ACard failed: ${JSON.stringify(result.issues)}`);
  return result;
}

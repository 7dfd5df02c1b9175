import { Hono } from 'hono';
import { resolver } from 'hono-openapi';
import * as v from 'valibot';
import { documentRoute } from '../describe.js';
import { API_BASE, type AppEnv } from '../env.js';
import type { RouteContext } from '../routeContext.js';
import { notFound, StatusSchema } from '../status.js';
import type { SourceProblem } from '../../store/types.js';

/** A SourceProblem: crds' problem shape (severity, path, message) and where in the manifests it is. */
const ProblemSchema = v.object({
  severity: v.picklist(['error', 'warning']),
  file: v.string(),
  document: v.optional(v.number()),
  item: v.optional(v.number()),
  line: v.optional(v.number()),
  column: v.optional(v.number()),
  /** Where in the resource; `(root)` for a file or document as a whole. */
  path: v.string(),
  namespace: v.optional(v.string()),
  message: v.string(),
});

const ProblemListSchema = v.object({
  apiVersion: v.literal('v1'),
  kind: v.literal('ProblemList'),
  items: v.array(ProblemSchema),
});

/** At most this many problems in one answer (the log has them all). */
const MAX_PROBLEMS = 1000;

/**
 * The problems of the store's source (embedded mode: manifest files), as the caller may see them:
 * a problem tied to a namespace only to those who may list it, a file-level problem (a file that does
 * not parse names no namespace) only to those who may list every namespace. Behind authentication
 * like the card routes; with `--auth=none` it is off unless `--expose-problems` turns it on.
 */
export function problemRoutes(route: RouteContext, { enabled }: { enabled: boolean }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    `${API_BASE}/problems`,
    documentRoute({
      operationId: 'listSourceProblems',
      summary: 'Problems found in the registry source (manifest files), by file, place and rule',
      description:
        'Each problem names the file, document, line/column and field path, and the rule that was broken; ' +
        'never the content of the file. Filtered by namespace visibility. Off with --auth=none unless ' +
        '--expose-problems=true.',
      tags: ['system'],
      responses: {
        200: {
          description: 'The visible problems',
          content: { 'application/json': { schema: resolver(ProblemListSchema) } },
        },
        404: {
          description: 'The endpoint is off (auth none without --expose-problems)',
          content: { 'application/json': { schema: resolver(StatusSchema) } },
        },
      },
    }),
    async (c) => {
      if (!enabled) {
        throw notFound(
          'the problems endpoint is off: it needs --auth=token or --auth=kubernetes, or --expose-problems=true',
        );
      }
      const all: SourceProblem[] = route.store.problems?.() ?? [];
      const namespaces = [
        ...new Set(all.flatMap((problem) => (problem.namespace ? [problem.namespace] : []))),
      ];
      const visible = await c.get('principal').visibleNamespaces(namespaces, 'list');
      const items = all
        .filter((problem) =>
          visible === undefined ? true : problem.namespace !== undefined && visible.has(problem.namespace),
        )
        .slice(0, MAX_PROBLEMS);
      return c.json({ apiVersion: 'v1', kind: 'ProblemList', items }, 200, { 'cache-control': 'no-store' });
    },
  );
  return app;
}

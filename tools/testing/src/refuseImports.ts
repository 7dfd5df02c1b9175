/**
 * Node flags under which importing any of `packages` (or their subpaths) throws, naming the importer:
 * for tests that a module graph stays without a heavy dependency (`node ...refuseImports(...) entry`).
 * A module resolve hook registered from a data: URL, so it needs no file of its own.
 */
export function refuseImports(...packages: string[]): string[] {
  const hooks = `
const refused = ${JSON.stringify(packages)};
export async function resolve(specifier, context, next) {
  if (refused.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
    throw new Error(specifier + ' was imported (from ' + context.parentURL + ')');
  }
  return next(specifier, context);
}`;
  const register = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return ['--import', `data:text/javascript,${encodeURIComponent(register)}`];
}

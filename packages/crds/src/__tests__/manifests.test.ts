import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCrdManifests } from '../../scripts/crdManifests.js';

const manifestsDir = new URL('../../manifests/', import.meta.url);

type Node = Record<string, unknown>;

/** Walks a schema and returns the paths of nodes that break structural-schema rules. */
function nonStructural(node: Node, path = 'openAPIV3Schema'): string[] {
  const problems: string[] = [];
  if (node.type === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true)
    problems.push(`${path}: no type`);
  if (node.properties && node.additionalProperties !== undefined)
    problems.push(`${path}: properties + additionalProperties`);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    problems.push(...nonStructural(child, `${path}.${name}`));
  }
  if (node.items) problems.push(...nonStructural(node.items as Node, `${path}[]`));
  if (typeof node.additionalProperties === 'object')
    problems.push(...nonStructural(node.additionalProperties as Node, `${path}{}`));
  return problems;
}

describe('generated CRD manifests', () => {
  const rendered = renderCrdManifests();

  it('match the checked-in files (run `npm run generate:crds` after changing a schema)', () => {
    expect(readdirSync(manifestsDir).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(new URL(file, manifestsDir), 'utf8'), file).toBe(text);
    }
  });

  it.each(Object.entries(rendered))(
    '%s is structural, with status subresource and printer columns',
    (_file, text) => {
      const crd = parse(text);
      const version = crd.spec.versions[0];
      expect(nonStructural(version.schema.openAPIV3Schema)).toEqual([]);
      expect(version.subresources).toEqual({ status: {} });
      expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(
        expect.arrayContaining(['Health', 'URL', 'Age']),
      );
      expect(crd.spec.names.shortNames.length).toBeGreaterThan(0);
    },
  );

  it('keeps publicCard open', () => {
    const crd = parse(rendered['agentcards.kagent.dev.yaml']!);
    const publicCard = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.publicCard;
    expect(publicCard).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});

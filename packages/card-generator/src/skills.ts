import { limits, type Skill } from '@agent-registry/crds';
import { warning, type Diagnostic } from './diagnostics.js';

/** A skill id from a display name: `Search Logs!` → `search-logs`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, limits.token)
    .replace(/-+$/, '');
}

/** Keeps the first skill of each id: two skills with one id would make the card ambiguous. */
export function uniqueSkills(
  skills: readonly Skill[],
  path: string,
): { skills: Skill[]; diagnostics: Diagnostic[] } {
  const seen = new Set<string>();
  const kept: Skill[] = [];
  const diagnostics: Diagnostic[] = [];
  skills.forEach((skill, index) => {
    if (seen.has(skill.id)) {
      diagnostics.push(
        warning(`${path}[${index}]`, `duplicate skill id ${JSON.stringify(skill.id)} was ignored`),
      );
      return;
    }
    seen.add(skill.id);
    kept.push(skill);
  });
  return { skills: kept, diagnostics };
}

/** A copy holding only the fields that are set, so absent and `undefined` hash alike. */
export function compactSkill(skill: Skill): Skill {
  const out: Skill = { id: skill.id, name: skill.name };
  if (skill.description !== undefined) out.description = skill.description;
  if (skill.tags !== undefined) out.tags = [...skill.tags];
  if (skill.examples !== undefined) out.examples = [...skill.examples];
  if (skill.inputModes !== undefined) out.inputModes = [...skill.inputModes];
  if (skill.outputModes !== undefined) out.outputModes = [...skill.outputModes];
  return out;
}

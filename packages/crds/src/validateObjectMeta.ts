import { errorAt, type Problem } from './problem.js';

/*
 * What a kube-apiserver accepts in `metadata`, checked the way it checks it
 * (k8s.io/apimachinery pkg/api/validation ValidateObjectMetaAccessor, the
 * function the apiserver runs on every custom resource) and worded the way it
 * words it (`field.Error`: `<path>: <type>: <value>: <detail>`). Lengths are
 * UTF-8 bytes, as Go's `len` counts them.
 */

const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX = 63;

const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;

const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FORMAT}$`);
const DNS1123_LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MAX = 63;

const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`);
const DNS1123_SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX = 253;

/** The apiserver's bound on all annotations of one object: keys plus values, in bytes. */
export const ANNOTATIONS_TOTAL_MAX_BYTES = 256 * 1024;

/**
 * Length in UTF-8 bytes (what Go's `len` returns for a string; a lone surrogate counts as the 3 bytes
 * of U+FFFD, as TextEncoder writes it). Counted, not encoded: a manifest load measures every name,
 * label and annotation, and an encoding each was a third of a parsing thread's metadata checks.
 */
export function byteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const maxLenError = (max: number): string => `must be no more than ${max} characters`;
const regexError = (rule: string, format: string, ...examples: string[]): string =>
  `${rule} (e.g. ${examples.map((example) => `'${example}', `).join(' or ')}regex used for validation is '${format}')`;

/** Why `value` is not a DNS-1123 label (`IsDNS1123Label`); empty when it is one. */
export function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX) problems.push(maxLenError(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL.test(value)) {
    problems.push(
      DNS1123_SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : regexError(DNS1123_LABEL_RULE, DNS1123_LABEL_FORMAT, 'my-name', '123-abc'),
    );
  }
  return problems;
}

/** Why `value` is not a DNS-1123 subdomain (`IsDNS1123Subdomain`); empty when it is one. */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) problems.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(regexError(DNS1123_SUBDOMAIN_RULE, DNS1123_SUBDOMAIN_FORMAT, 'example.com'));
  }
  return problems;
}

/**
 * Why `value` is not a qualified name (`IsQualifiedName`): an optional DNS
 * subdomain prefix and `/`, then a name part of at most 63 characters. Label
 * keys, annotation keys (lower-cased first) and finalizers are qualified names.
 */
export function qualifiedNameProblems(value: string): string[] {
  const problems: string[] = [];
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const name = parts.length === 2 ? parts[1]! : value;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') problems.push('prefix part must be non-empty');
    else problems.push(...dns1123SubdomainProblems(prefix).map((problem) => `prefix part ${problem}`));
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (byteLength(name) > QUALIFIED_NAME_MAX)
    problems.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`);
  if (!QUALIFIED_NAME.test(name)) {
    problems.push(
      `name part ${regexError(QUALIFIED_NAME_RULE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return problems;
}

/** Why `value` is not a label value (`IsValidLabelValue`); empty when it is one. */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) problems.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE.test(value)) {
    problems.push(regexError(LABEL_VALUE_RULE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  }
  return problems;
}

/** The total the apiserver compares with {@link ANNOTATIONS_TOTAL_MAX_BYTES}: every key and value, in UTF-8 bytes. */
export function annotationsSizeBytes(
  annotations: Readonly<Record<string, string>> | readonly (readonly [string, string])[],
): number {
  let total = 0;
  const entries = Array.isArray(annotations) ? annotations : Object.entries(annotations);
  for (const [key, value] of entries) total += byteLength(key) + byteLength(value);
  return total;
}

/** Values longer than this are cut in messages: a problem names the offending value, it does not copy a file. */
const MAX_ECHOED_CHARACTERS = 100;

/** A value as the apiserver quotes it (`%q`), cut after {@link MAX_ECHOED_CHARACTERS} characters. */
export function quoteValue(value: string): string {
  const characters = [...value];
  if (characters.length <= MAX_ECHOED_CHARACTERS) return JSON.stringify(value);
  return `${JSON.stringify(characters.slice(0, MAX_ECHOED_CHARACTERS).join(''))}... (${characters.length} characters)`;
}

const invalid = (path: string, value: string, detail: string): Problem =>
  errorAt(path, `Invalid value: ${quoteValue(value)}: ${detail}`);

type NameRule = (name: string) => string[];

/**
 * How each kind's `metadata.name` is checked, and whether it lives in a namespace.
 * Custom resources (AgentCard, both Agents) use DNS-1123 subdomains: the
 * apiextensions apiserver validates them with `NameIsDNSSubdomain`.
 */
const KINDS: Record<string, { name: NameRule; namespaced: boolean }> = {
  AgentCard: { name: dns1123SubdomainProblems, namespaced: true },
  Agent: { name: dns1123SubdomainProblems, namespaced: true },
  Namespace: { name: dns1123LabelProblems, namespaced: false },
};
const DEFAULT_KIND = { name: dns1123SubdomainProblems, namespaced: true };

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string map such as labels or annotations; non-string values are problems of their own. */
function stringMap(value: unknown, path: string, issues: Problem[]): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) {
    issues.push(errorAt(path, 'Invalid value: must be a map of string keys to string values'));
    return [];
  }
  const entries: [string, string][] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') entries.push([key, entry]);
    else issues.push(errorAt(`${path}[${quoteValue(key)}]`, 'Invalid value: must be a string'));
  }
  return entries;
}

/**
 * Checks an object's `metadata` as a kube-apiserver does when the object is
 * created: `name` (per kind), `generateName`, `namespace` (a DNS-1123 label,
 * optional: kubectl fills in the context's namespace), label keys (qualified
 * names) and values, annotation keys (qualified names, case-insensitive) and
 * their total size (256 KiB), owner references (complete, one controller at
 * most) and finalizers (qualified names). Returns no
 * issues for metadata a cluster accepts; otherwise one issue per problem, with
 * the apiserver's field path and message (values cut after 100 characters).
 * Never throws.
 */
export function validateObjectMeta(metadata: unknown, kind: string): Problem[] {
  const issues: Problem[] = [];
  if (!isObject(metadata)) {
    return [errorAt('metadata', 'Invalid value: must be an object')];
  }
  const rules = (Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined) ?? DEFAULT_KIND;
  const { name, generateName, namespace } = metadata;

  if (typeof generateName === 'string' && generateName !== '') {
    // A generated name gets a suffix, so a trailing '-' is fine (apimachinery's maskTrailingDash).
    const masked =
      generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -2)}a` : generateName;
    for (const problem of rules.name(masked))
      issues.push(invalid('metadata.generateName', generateName, problem));
  } else if (generateName !== undefined && generateName !== null && typeof generateName !== 'string') {
    issues.push(errorAt('metadata.generateName', 'Invalid value: must be a string'));
  }

  if (name === undefined || name === null || name === '') {
    if (typeof generateName !== 'string' || generateName === '') {
      issues.push(errorAt('metadata.name', 'Required value: name or generateName is required'));
    }
  } else if (typeof name !== 'string') {
    issues.push(errorAt('metadata.name', 'Invalid value: must be a string'));
  } else {
    for (const problem of rules.name(name)) issues.push(invalid('metadata.name', name, problem));
  }

  if (namespace !== undefined && namespace !== null && namespace !== '') {
    if (typeof namespace !== 'string') {
      issues.push(errorAt('metadata.namespace', 'Invalid value: must be a string'));
    } else if (!rules.namespaced) {
      issues.push(errorAt('metadata.namespace', 'Forbidden: not allowed on this type'));
    } else {
      for (const problem of dns1123LabelProblems(namespace)) {
        issues.push(invalid('metadata.namespace', namespace, problem));
      }
    }
  }

  for (const [key, value] of stringMap(metadata.labels, 'metadata.labels', issues)) {
    for (const problem of qualifiedNameProblems(key)) issues.push(invalid('metadata.labels', key, problem));
    for (const problem of labelValueProblems(value)) issues.push(invalid('metadata.labels', value, problem));
  }

  const annotations = stringMap(metadata.annotations, 'metadata.annotations', issues);
  for (const [key] of annotations) {
    // The rule is a qualified name except that case does not matter (apimachinery lower-cases the key first).
    for (const problem of qualifiedNameProblems(key.toLowerCase())) {
      issues.push(invalid('metadata.annotations', key, problem));
    }
  }
  if (annotationsSizeBytes(annotations) > ANNOTATIONS_TOTAL_MAX_BYTES) {
    issues.push(
      errorAt('metadata.annotations', `Too long: may not be more than ${ANNOTATIONS_TOTAL_MAX_BYTES} bytes`),
    );
  }

  if (Array.isArray(metadata.ownerReferences)) ownerReferenceIssues(metadata.ownerReferences, issues);

  const { finalizers } = metadata;
  if (Array.isArray(finalizers)) {
    for (const finalizer of finalizers) {
      if (typeof finalizer !== 'string') {
        issues.push(errorAt('metadata.finalizers', 'Invalid value: must be a string'));
        continue;
      }
      for (const problem of qualifiedNameProblems(finalizer)) {
        issues.push(invalid('metadata.finalizers', finalizer, problem));
      }
    }
  }
  return issues;
}

const stringField = (value: unknown, key: string): string => {
  const field = isObject(value) ? value[key] : undefined;
  return typeof field === 'string' ? field : '';
};

/** The version part of an apiVersion, as apimachinery's `ParseGroupVersion` reads it ('' when it has none). */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0]!;
  return parts.length === 2 ? parts[1]! : '';
}

/** Owner references: each names its owner in full, and at most one is the controller (`ValidateOwnerReferences`). */
function ownerReferenceIssues(references: readonly unknown[], issues: Problem[]): void {
  const path = 'metadata.ownerReferences';
  let controller: string | undefined;
  for (const reference of references) {
    const apiVersion = stringField(reference, 'apiVersion');
    const kind = stringField(reference, 'kind');
    const name = stringField(reference, 'name');
    if (versionOf(apiVersion) === '')
      issues.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') issues.push(invalid(`${path}.kind`, kind, 'must not be empty'));
    if (name === '') issues.push(invalid(`${path}.name`, name, 'must not be empty'));
    const uid = stringField(reference, 'uid');
    if (uid === '') issues.push(invalid(`${path}.uid`, uid, 'must not be empty'));
    if (apiVersion === 'v1' && kind === 'Event') {
      issues.push(errorAt(path, 'Invalid value: /v1, Kind=Event is disallowed from being an owner'));
    }
    if (isObject(reference) && reference.controller === true) {
      const current = `${kind}/${name}`;
      if (controller === undefined) controller = current;
      else {
        // The apiserver also echoes the whole list here (as JSON); the rule and the two names say it all.
        issues.push(
          errorAt(
            path,
            `Invalid value: Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`,
          ),
        );
      }
    }
  }
}

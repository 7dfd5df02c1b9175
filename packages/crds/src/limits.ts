/**
 * Size limits shared by every schema. They mirror Kubernetes' own bounds where
 * one exists (names, annotation totals) so that a value valid here is never
 * rejected later by the apiserver, and they keep hostile input (10 MB strings)
 * from travelling further than the parser.
 */
export const limits = {
  /** DNS-1123 subdomain, the bound for `metadata.name` of most kinds. */
  name: 253,
  /** Kubernetes' bound on the total size of all annotations on one object. */
  annotationsTotalBytes: 256 * 1024,
  labelValue: 63,
  /** A URL in an endpoint or metadata value. */
  url: 2048,
  /** Free text such as a description. */
  text: 16 * 1024,
  /** Short identifiers: skill ids, tags, transports, modes. */
  token: 256,
  /** Items in any list (skills, endpoints, tags, capabilities). */
  listItems: 256,
  /** Keys in `spec.metadata`. */
  metadataEntries: 256,
} as const;

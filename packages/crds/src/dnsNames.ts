import { dns1123LabelProblems, dns1123SubdomainProblems } from './validateObjectMeta.js';

/** True when `value` is an RFC 1123 label (a namespace name, one label of a domain). */
export const isDns1123Label = (value: string): boolean => dns1123LabelProblems(value).length === 0;

/** True when `value` is an RFC 1123 subdomain (most object names, a cluster domain). */
export const isDns1123Subdomain = (value: string): boolean => dns1123SubdomainProblems(value).length === 0;

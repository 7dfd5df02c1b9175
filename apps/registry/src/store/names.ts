/** Kubernetes object-name rules (DNS-1123), used for names and namespaces in URLs and manifests. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDnsLabel = (value: string): boolean => DNS_LABEL.test(value);
export const isDnsSubdomain = (value: string): boolean => value.length <= 253 && DNS_SUBDOMAIN.test(value);

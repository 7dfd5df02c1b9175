/** The base path of the registry's REST API (cards at `${REGISTRY_API_BASE}/cards`). */
export const REGISTRY_API_BASE = '/api/v1alpha1/registry';

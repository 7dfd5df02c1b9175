export const packageName = '@agent-registry/a2a-translator';

export const packageName = '@agent-registry/card-generator';

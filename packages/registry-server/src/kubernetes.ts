// The Kubernetes parts, on their own entry point so an embedded registry never loads @kubernetes/client-node.
export { KubernetesStore, type KubernetesStoreOptions } from './store/kubernetesStore.js';
export { createKubernetesAuthenticator } from './auth/kubernetesAuth.js';

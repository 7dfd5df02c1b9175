export { startCluster } from './cluster.js';
export type { Cluster, ClusterOptions, ClusterTimings } from './cluster.js';
export { buildImages, importImages, IMAGE_NAMES } from './images.js';
export type { BuiltImage, ImageName } from './images.js';
export { helmBinary, runHelm } from './helm.js';
export { clusterCacheDir, NETWORK, NODE_NAME, nodeBinariesDir } from './layout.js';
export { checkPrerequisites, DEBIAN_PACKAGES } from './prerequisites.js';
export type { Prerequisites } from './prerequisites.js';

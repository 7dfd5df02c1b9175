// The registry logs through kube-runtime's logger interface: embedders pass theirs, the apps pass the shared one.
export { isLogEnabled, silentLogger, type LogFields, type Logger } from '@agent-registry/kube-runtime/logger';

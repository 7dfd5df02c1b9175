// The app's configuration, for the tools that render and check the chart against it.
export { parseConfig, helpText, ConfigError, DEFAULT_MANIFESTS_DIR, type RegistryConfig } from './config.js';

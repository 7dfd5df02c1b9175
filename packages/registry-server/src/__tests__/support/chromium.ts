import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** CI as the envtest suites read it: set, and not "", "false" or "0" (any case). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Whether the Chromium suites can run. Missing Chromium is an error under CI (the suites must not pass by
 * being skipped there) and one loud line locally.
 */
export function chromiumAvailable(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  {
    exists = existsSync,
    warn = console.warn,
  }: { exists?: (path: string) => boolean; warn?: (line: string) => void } = {},
): boolean {
  if (exists(path)) return true;
  if (isCi(env)) {
    throw new Error(
      `CI=${env.CI} and Chromium not found at ${path}: the catalog UI tests need it (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
  }
  warn(
    `\n!!! SKIPPING catalog UI tests: no Chromium at ${path} (apt-get install -y chromium, or set CHROMIUM_PATH) !!!\n`,
  );
  return false;
}

/** Debian's Chromium (or `CHROMIUM_PATH`), as the catalog UI suites drive it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with nothing in the background that could log or reach the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

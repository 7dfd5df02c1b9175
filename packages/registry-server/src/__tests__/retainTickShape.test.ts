import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runModuleScript, type ScriptResult } from './support/moduleScript.js';

const source = fileURLToPath(new URL('../http/retainTickShape.ts', import.meta.url));

/** A script in a child node with GC and V8's natives exposed. */
const run = (script: string): Promise<ScriptResult> =>
  runModuleScript(script, ['--expose-gc', '--allow-natives-syntax']);

// Full GCs with no tick alive, as loading a large store runs them; then the shape a new tick gets.
const afterIdleGcs = `
  for (let gcs = 0; gcs < 8; gcs++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    globalThis.gc();
  }
  let fresh;
  const hook = createHook({ init(id, type, trigger, resource) { if (type === 'TickObject') fresh ??= resource; } });
  hook.enable();
  process.nextTick(() => undefined);
  hook.disable();`;

describe('retainTickShape', () => {
  it('keeps a tick object whose shape new ticks still get after many full GCs', async () => {
    const { code, stdout, stderr } = await run(`
      import { createHook } from 'node:async_hooks';
      const { retainTickShape, retainedTick } = await import(${JSON.stringify(source)});
      await retainTickShape();
      await retainTickShape(); // idempotent: one tick kept
      ${afterIdleGcs}
      const kept = retainedTick();
      console.log(JSON.stringify({
        symbols: Object.getOwnPropertySymbols(kept).map(String),
        sameShape: %HaveSameMap(kept, fresh),
      }));`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { symbols: string[]; sameShape: boolean };
    // What Node gave is a tick object (async ids under its symbols), not some other resource.
    expect(result.symbols).toEqual(['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)']);
    expect(result.sameShape).toBe(true);
  });
});

// The registry under test, alone in a plain `node` process (no TypeScript loader in its RSS), from the
// built dist/. argv: <manifests dir> [--no-fast-path] [--signing-key=<file or dir>]. Rate limiting is off: the load generator is a
// single client (and the node:http fast path stands aside while a limit is on).
import { startServer } from '../dist/server.js';
import { answerMemoryRequests } from './memoryProbe.mjs';

const [manifests, ...flags] = process.argv.slice(2);
if (!manifests) {
  console.error('usage: registryProcess.mjs <manifests dir>');
  process.exit(2);
}
// --kubeconfig=<file>: the Kubernetes store on that cluster instead (the first argument is then ignored).
const kubeconfig = flags.find((flag) => flag.startsWith('--kubeconfig='))?.slice(13);
const registry = await startServer({
  ...(kubeconfig ? { store: 'kubernetes', kubeconfig } : { store: 'embedded', manifests }),
  host: '127.0.0.1',
  port: 0,
  rateLimit: 0,
  logLevel: 'error',
  fastPath: !flags.includes('--no-fast-path'),
  // --signing-key=<file or dir>: the registry signs every card it serves.
  signingKeyFiles: flags.filter((flag) => flag.startsWith('--signing-key=')).map((flag) => flag.slice(14)),
});
answerMemoryRequests();
process.send?.({ type: 'ready', url: registry.url });
process.on('disconnect', () => void registry.close().then(() => process.exit(0)));

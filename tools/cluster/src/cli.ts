// `npm run images` and `npm run up -w @agent-registry/cluster`:
//   images [name...]  builds the images (cached by input hash) and prints where they are;
//   up                starts the cluster with every image loaded, prints its kubeconfig, and
//                     tears it down on Ctrl-C / SIGTERM.
import { buildImages, IMAGE_NAMES, type ImageName } from './images.js';
import { startCluster } from './cluster.js';

const [command = 'up', ...rest] = process.argv.slice(2);

if (command === 'images') {
  const names = rest.length > 0 ? rest : IMAGE_NAMES;
  const unknown = names.filter((name) => !IMAGE_NAMES.includes(name as ImageName));
  if (unknown.length > 0) {
    console.error(`unknown image(s): ${unknown.join(', ')} (known: ${IMAGE_NAMES.join(', ')})`);
    process.exit(2);
  }
  const started = performance.now();
  const images = await buildImages(names as ImageName[]);
  for (const image of images)
    console.log(
      `${image.reference.padEnd(44)} ${image.buildSeconds > 0 ? `built in ${image.buildSeconds} s` : 'cached'}  ${image.archive}`,
    );
  console.log(`images ready in ${Math.round((performance.now() - started) / 1000)} s`);
} else if (command === 'up') {
  const cluster = await startCluster();
  console.log(
    `\nKUBECONFIG=${cluster.kubeconfigPath}\nlogs: ${cluster.runDir}/*.log\nCtrl-C stops the cluster.`,
  );
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} else {
  console.error('usage: cli.ts images [name...] | up');
  process.exit(2);
}

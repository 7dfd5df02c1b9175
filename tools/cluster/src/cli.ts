// `npm run images` and `npm run up -w @agent-registry/cluster`:
//   images [name...]  builds the images (cached by input hash) and prints where they are;
//   up [name...]      starts the cluster with those images loaded (default: every one; `pause` is
//                     always loaded, the pods' sandbox), prints its kubeconfig, and tears it down on
//                     Ctrl-C / SIGTERM (and, through the reaper, when it is killed).
import { buildImages, IMAGE_NAMES, type ImageName } from './images.js';
import { startCluster } from './cluster.js';

const [command = 'up', ...rest] = process.argv.slice(2);

function imageNames(args: string[]): ImageName[] {
  const names = args.length > 0 ? args : IMAGE_NAMES;
  const unknown = names.filter((name) => !IMAGE_NAMES.includes(name as ImageName));
  if (unknown.length > 0) {
    console.error(`unknown image(s): ${unknown.join(', ')} (known: ${IMAGE_NAMES.join(', ')})`);
    process.exit(2);
  }
  return names as ImageName[];
}

if (command === 'images') {
  const names = imageNames(rest);
  const started = performance.now();
  const images = await buildImages(names);
  for (const image of images)
    console.log(
      `${image.reference.padEnd(44)} ${image.buildSeconds > 0 ? `built in ${image.buildSeconds} s` : 'cached'}  ${image.archive}`,
    );
  console.log(`images ready in ${Math.round((performance.now() - started) / 1000)} s`);
} else if (command === 'up') {
  const cluster = await startCluster({ images: imageNames(rest) });
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
  console.error('usage: cli.ts images [name...] | up [name...]');
  process.exit(2);
}

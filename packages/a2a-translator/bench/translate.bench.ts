/**
 * Translation and hashing speed, measured against a baseline in the same run:
 * (toA2ACard + JSON.stringify) vs JSON.stringify of the finished card alone
 * (target ratio <= 3), and contentHash of a 10-skill card (target <= 20 µs).
 */
import { Bench } from 'tinybench';
import { contentHash, toA2ACard, type AgentCardLike } from '../src/index.js';
import { rendered } from '../src/__tests__/rendered.js';

const resource: AgentCardLike = {
  metadata: { name: 'bench-agent', namespace: 'default' },
  spec: {
    endpoints: ['https://bench-agent.example.com/a2a'],
    metadata: {
      description: 'An agent with ten skills',
      'provider.organization': 'Example Inc.',
      'provider.url': 'https://example.com',
      iconUrl: 'https://example.com/icon.png',
      documentationUrl: 'https://docs.example.com',
      'capabilities.pushNotifications': 'true',
      defaultInputModes: 'text/plain,application/json',
    },
    skills: Array.from({ length: 10 }, (_, index) => ({
      id: `skill-${index}`,
      name: `Skill ${index}`,
      description: `Does thing number ${index} really well`,
      tags: ['bench', `tag-${index}`],
      examples: [`please do thing ${index}`],
    })),
  },
};

const card = rendered(toA2ACard(resource)).card;
let sink = 0;
const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('JSON.stringify(card) [baseline]', () => {
    sink += JSON.stringify(card).length;
  })
  .add('toA2ACard + JSON.stringify (0.3.0)', () => {
    sink += JSON.stringify(rendered(toA2ACard(resource)).card).length;
  })
  .add('toA2ACard + JSON.stringify (1.0)', () => {
    sink += JSON.stringify(rendered(toA2ACard(resource, { a2aVersion: '1.0' })).card).length;
  })
  .add('contentHash(card)', () => {
    sink += contentHash(card).length;
  });

await bench.run();

const meanNs = (name: string) => {
  const task = bench.getTask(name);
  const result = task?.result as { latency?: { mean: number }; mean?: number } | undefined;
  const ms = result?.latency?.mean ?? result?.mean;
  if (ms === undefined) throw new Error(`no result for ${name}`);
  return ms * 1e6;
};

const baseline = meanNs('JSON.stringify(card) [baseline]');
const rows = [
  ['toA2ACard + JSON.stringify (0.3.0)', meanNs('toA2ACard + JSON.stringify (0.3.0)')],
  ['toA2ACard + JSON.stringify (1.0)', meanNs('toA2ACard + JSON.stringify (1.0)')],
] as const;
const hashUs = meanNs('contentHash(card)') / 1000;

console.log(`10-skill card, ${JSON.stringify(card).length} bytes`);
console.log(`baseline JSON.stringify: ${(baseline / 1000).toFixed(2)} µs`);
let pass = true;
for (const [name, ns] of rows) {
  const ratio = ns / baseline;
  const ok = ratio <= 3;
  pass &&= ok;
  console.log(
    `${name}: ${(ns / 1000).toFixed(2)} µs, ${Math.round(1e9 / ns).toLocaleString('en-US')} translations/s, ratio ${ratio.toFixed(2)} (target <= 3) ${ok ? 'PASS' : 'FAIL'}`,
  );
}
const hashOk = hashUs <= 20;
pass &&= hashOk;
console.log(`contentHash: ${hashUs.toFixed(2)} µs (target <= 20 µs) ${hashOk ? 'PASS' : 'FAIL'}`);
if (sink === 0) console.log('');
process.exitCode = pass ? 0 : 1;

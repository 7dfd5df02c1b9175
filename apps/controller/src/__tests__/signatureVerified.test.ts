import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { silentLogger } from '@agent-registry/app-shell';
import { generateAgentCard } from '@agent-registry/card-generator';
import { publicJwks, signA2ACard, toSigningKey, type SigningKey } from '@agent-registry/card-signing';
import type { AgentCard, Condition } from '@agent-registry/crds';
import { integration } from '@agent-registry/testing';
import { startController } from '../controller.js';
import { kagentAgent, kube, REGISTER, testConfig, waitFor } from '../testing.js';
import type { ControllerConfig } from '../config.js';

const conditionOf = (card: AgentCard | undefined): Condition | undefined =>
  card?.status?.conditions?.find((condition) => condition.type === 'SignatureVerified');

/**
 * What a publisher does: render the card the generator makes for its agent, sign it, and publish the
 * signatures in the agent's `kagent.dev/card-signatures` annotation.
 */
async function signatureAnnotation(
  config: ControllerConfig,
  namespace: string,
  name: string,
  key: SigningKey,
): Promise<Record<string, string>> {
  const { card } = generateAgentCard(kagentAgent(namespace, name, REGISTER), {
    clusterDomain: config.clusterDomain,
    defaultPort: config.defaultPort,
    a2aVersion: config.a2aVersion,
  });
  if (!card?.spec.publicCard) throw new Error(`the generator made no card for ${name}`);
  const signed = await signA2ACard(card.spec.publicCard, key);
  return { 'kagent.dev/card-signatures': JSON.stringify(signed.signatures) };
}

integration.withKagent('SignatureVerified against a real apiserver', (controlPlane) => {
  const k = kube(controlPlane.kubeConfig);

  test('the controller sets SignatureVerified on the status subresource: True, False/BadSignature, Unknown/Unsigned', async () => {
    const { name: ns } = await controlPlane.createNamespace('signatures');
    const dir = await mkdtemp(join(tmpdir(), 'controller-jwks-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const publisher = await toSigningKey(generateKeyPairSync('ed25519').privateKey, { kid: 'publisher-1' });
    await writeFile(join(dir, 'publisher.jwks'), JSON.stringify(publicJwks([publisher])));
    const config = testConfig(ns, { trustedJwksFiles: [dir] });

    await k.apply(
      kagentAgent(ns, 'signed', {
        ...REGISTER,
        ...(await signatureAnnotation(config, ns, 'signed', publisher)),
      }),
    );
    // The signatures of another agent's card: the key is trusted, the signature does not match this card.
    await k.apply(
      kagentAgent(ns, 'borrowed', {
        ...REGISTER,
        ...(await signatureAnnotation(config, ns, 'signed', publisher)),
      }),
    );
    await k.apply(kagentAgent(ns, 'unsigned', REGISTER));

    const controller = await startController(config, {
      kubeConfig: controlPlane.kubeConfig,
      logger: silentLogger,
      processMetrics: false,
      httpServer: false,
    });
    onTestFinished(() => controller.stop());

    const settled = (name: string) =>
      waitFor(`SignatureVerified on ${name}`, async () => conditionOf(await k.card(ns, name)));
    expect(await settled('signed')).toMatchObject({
      status: 'True',
      reason: 'Verified',
      message: 'verified by key "publisher-1"',
    });
    expect(await settled('borrowed')).toMatchObject({ status: 'False', reason: 'BadSignature' });
    expect(await settled('unsigned')).toMatchObject({ status: 'Unknown', reason: 'Unsigned' });
    // Written through the status subresource, beside the controller's other conditions.
    const card = await k.card(ns, 'signed');
    expect(card?.status?.conditions?.map((condition) => condition.type).sort()).toEqual([
      'Degraded',
      'Ready',
      'SignatureVerified',
    ]);
    expect(
      card?.metadata.managedFields?.some(
        (field) => (field as { subresource?: string }).subresource === 'status',
      ),
    ).toBe(true);
  });
});

import { EventsV1Api } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { expect, test } from 'vitest';
import { EventRecorder, type EventSubject } from '../eventRecorder.js';
import type { Logger } from '../logger.js';

const recordingLogger = () => {
  const warnings: Record<string, unknown>[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => warnings.push({ msg, ...fields }),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warnings };
};

integration.describe('EventRecorder (shared control plane)', (cp) => {
  const events = cp.kubeConfig.makeApiClient(EventsV1Api);

  test('writes events.k8s.io/v1 Events once per object, reason and note within the window', async () => {
    const { name: namespace } = await cp.createNamespace('events');
    const { logger } = recordingLogger();
    let writes = 0;
    const recorder = new EventRecorder({
      kubeConfig: cp.kubeConfig,
      controller: 'agent-registry.dev/test',
      instance: 'replica-1',
      logger,
      onWrite: () => (writes += 1),
    });
    const subject: EventSubject = {
      apiVersion: 'a2a.io/v1',
      kind: 'Agent',
      namespace,
      name: 'helper',
      uid: 'uid-1',
    };

    expect(
      await recorder.emit(subject, 'Warning', 'InvalidAnnotation', 'Register', 'bad   value\nhere'),
    ).toBe(true);
    expect(await recorder.emit(subject, 'Warning', 'InvalidAnnotation', 'Register', 'bad value here')).toBe(
      false,
    );
    expect(await recorder.emit(subject, 'Warning', 'InvalidAnnotation', 'Register', 'another problem')).toBe(
      true,
    );
    recorder.forget('uid-1');
    expect(await recorder.emit(subject, 'Warning', 'InvalidAnnotation', 'Register', 'bad value here')).toBe(
      true,
    );
    expect(await recorder.emit(subject, 'Normal', 'Long', 'Register', 'é'.repeat(2000))).toBe(true);
    expect([recorder.emitted, writes]).toEqual([4, 4]);

    const stored = (await events.listNamespacedEvent({ namespace })).items;
    expect(stored).toHaveLength(4);
    const first = stored.find((event) => event.note === 'bad value here');
    expect(first).toMatchObject({
      type: 'Warning',
      reason: 'InvalidAnnotation',
      action: 'Register',
      reportingController: 'agent-registry.dev/test',
      reportingInstance: 'replica-1',
      regarding: { kind: 'Agent', name: 'helper', namespace, uid: 'uid-1' },
    });
    expect(first?.metadata?.name).toMatch(/^helper\.[0-9a-f]+$/);
    const long = stored.find((event) => event.reason === 'Long');
    expect(Buffer.byteLength(long?.note ?? '', 'utf8')).toBeLessThanOrEqual(1024);
    expect(long?.note?.endsWith('…')).toBe(true);
  });

  test('an event that cannot be written is logged and may be tried again, never thrown', async () => {
    const { logger, warnings } = recordingLogger();
    const recorder = new EventRecorder({
      kubeConfig: cp.kubeConfig,
      controller: 'agent-registry.dev/test',
      instance: 'replica-1',
      logger,
    });
    const nowhere: EventSubject = {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'no-such-namespace-x',
      name: 'p',
    };
    expect(await recorder.emit(nowhere, 'Normal', 'Probe', 'Probe', 'note')).toBe(false);
    expect(await recorder.emit(nowhere, 'Normal', 'Probe', 'Probe', 'note')).toBe(false);
    expect(warnings).toEqual([
      expect.objectContaining({ msg: 'could not record event', reason: 'Probe' }),
      expect.objectContaining({ msg: 'could not record event', reason: 'Probe' }),
    ]);
    expect(recorder.emitted).toBe(0);
  });
});

import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  isSignatureVerified,
  publicJwks,
  signA2ACard,
  signatureVerifiedCondition,
  type SigningKey,
} from '../index.js';
import { freshKey, sampleCard } from './cards.js';

const asAgentCard = (publicCard: Record<string, unknown> | undefined) => ({
  spec: publicCard === undefined ? {} : { publicCard },
});

let trusted: SigningKey;
let stranger: SigningKey;
beforeAll(async () => {
  trusted = await freshKey('Ed25519', 'publisher-1');
  stranger = await freshKey('P-256', 'someone-else');
});

describe('signatureVerifiedCondition', () => {
  for (const a2aVersion of ['0.3.0', '1.0'] as const) {
    it(`A2A ${a2aVersion}: True when a trusted key's signature verifies, naming the kid`, async () => {
      const signed = await signA2ACard(sampleCard(a2aVersion), trusted);
      expect(await signatureVerifiedCondition(asAgentCard(signed), publicJwks([trusted]))).toEqual({
        type: 'SignatureVerified',
        status: 'True',
        reason: 'Verified',
        message: 'verified by key "publisher-1"',
      });
    });
  }

  it('False/BadSignature for a card changed after signing, even beside an unknown key', async () => {
    const signed = await signA2ACard(sampleCard('1.0'), [stranger, trusted]);
    const tampered = { ...signed, description: 'not what was signed' };
    const condition = await signatureVerifiedCondition(asAgentCard(tampered), publicJwks([trusted]));
    expect(condition).toMatchObject({ status: 'False', reason: 'BadSignature' });
    expect(condition.message).toContain('"publisher-1"');
    expect(condition.message).not.toContain('not what was signed');
  });

  it('False/UnknownKey when no trusted key has the kid', async () => {
    const signed = await signA2ACard(sampleCard('0.3.0'), stranger);
    expect(await signatureVerifiedCondition(asAgentCard(signed), publicJwks([trusted]))).toMatchObject({
      status: 'False',
      reason: 'UnknownKey',
    });
  });

  it('False/AlgorithmNotAllowed for alg none, False/Malformed for a broken entry', async () => {
    const card = sampleCard('0.3.0');
    const none = base64url.encode(JSON.stringify({ alg: 'none', kid: 'publisher-1' }));
    const withNone = { ...card, signatures: [{ protected: none, signature: 'x' }] };
    expect(await signatureVerifiedCondition(asAgentCard(withNone), publicJwks([trusted]))).toMatchObject({
      status: 'False',
      reason: 'AlgorithmNotAllowed',
    });
    const broken = { ...card, signatures: [{ protected: 42 }] };
    expect(await signatureVerifiedCondition(asAgentCard(broken), publicJwks([trusted]))).toMatchObject({
      status: 'False',
      reason: 'Malformed',
    });
    const notAList = { ...card, signatures: 'yes' };
    expect(await signatureVerifiedCondition(asAgentCard(notAList), publicJwks([trusted]))).toMatchObject({
      status: 'False',
      reason: 'Malformed',
    });
  });

  it('Unknown/Unsigned for an unsigned card or a card without a publicCard', async () => {
    for (const card of [asAgentCard(sampleCard('1.0')), asAgentCard(undefined)]) {
      expect(await signatureVerifiedCondition(card, publicJwks([trusted]))).toEqual({
        type: 'SignatureVerified',
        status: 'Unknown',
        reason: 'Unsigned',
        message: 'the card carries no signature',
      });
    }
  });

  it('isSignatureVerified reads the condition from status', () => {
    const at = '2026-01-01T00:00:00Z';
    const withStatus = (status: 'True' | 'False' | 'Unknown') => ({
      status: {
        conditions: [{ type: 'SignatureVerified', status, reason: 'R', message: '', lastTransitionTime: at }],
      },
    });
    expect(isSignatureVerified(withStatus('True'))).toBe(true);
    expect(isSignatureVerified(withStatus('False'))).toBe(false);
    expect(isSignatureVerified(withStatus('Unknown'))).toBe(false);
    expect(isSignatureVerified({})).toBe(false);
  });
});

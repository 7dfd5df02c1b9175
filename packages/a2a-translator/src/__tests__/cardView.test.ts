import { describe, expect, it } from 'vitest';
import {
  cardDescriptionOf,
  cardDisplayNameOf,
  cardSkillsOf,
  freshCardSummary,
  cardViewKey,
  toA2ACard,
  validateA2ACard,
  viewCard,
  type ViewedCard,
} from '../index.js';

/** The owner's own 0.3 card: a display name, security and a signature the spec does not carry. */
const stored = {
  protocolVersion: '0.3.0',
  name: 'Release Manager',
  description: 'Cuts releases',
  url: 'https://releases.example.com/a2a',
  preferredTransport: 'JSONRPC',
  version: '2.1.0',
  capabilities: {},
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  security: [{ bearer: [] }],
  skills: [
    { id: 'cut-release', name: 'Cut a release', description: 'Tags and publishes', tags: ['release'] },
  ],
  signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln' }],
};

const withStored: ViewedCard = {
  metadata: { name: 'release-manager', namespace: 'team-platform' },
  spec: { a2aVersion: '0.3.0', capabilities: ['ignored'], publicCard: stored },
};

const withoutEndpoint: ViewedCard = {
  metadata: { name: 'notes', namespace: 'team-data' },
  spec: { a2aVersion: '1.0', capabilities: ['summarize notes', 'search'] },
};

describe('viewCard: the one view of a card', () => {
  it('serves a valid stored public card as is when asked for in its own version', () => {
    const view = viewCard(withStored, { version: '0.3.0' });
    expect(view).toMatchObject({ source: 'publicCard', version: '0.3.0', warnings: [] });
    expect(view.card).toBe(stored);
  });

  it("renders the stored card in the other version and for both generations, keeping the owner's fields but not its signatures", () => {
    for (const version of ['1.0', undefined] as const) {
      const view = viewCard(withStored, { version });
      expect(view.source).toBe('fromPublicCard');
      expect(view.card.name).toBe('Release Manager');
      expect(Object.keys(view.card.securitySchemes as object)).toEqual(['bearer']);
      expect(view.card.signatures).toBeUndefined();
      expect(validateA2ACard(view.card, version ?? '0.3.0').ok).toBe(true);
    }
  });

  it('ignores an invalid stored card and translates the spec', () => {
    const broken: ViewedCard = {
      ...withStored,
      spec: { ...withStored.spec, endpoints: ['https://x.example.com'], publicCard: { name: 1 } },
    };
    const view = viewCard(broken, { version: '0.3.0' });
    expect(view.source).toBe('spec');
    const translated = toA2ACard(broken, { a2aVersion: '0.3.0' });
    expect(translated.ok && view.card).toEqual(translated.ok && translated.card);
  });

  it("gives a card without an endpoint the registry's URL, or the registry path without a trusted origin", () => {
    const absolute = viewCard(withoutEndpoint, { version: '1.0', registryUrl: 'https://registry.example/' });
    expect(absolute.card.supportedInterfaces).toMatchObject([
      { url: 'https://registry.example/agents/team-data/notes' },
    ]);
    const relative = viewCard(withoutEndpoint, { version: '1.0' });
    expect(relative.card.supportedInterfaces).toMatchObject([{ url: '/agents/team-data/notes' }]);
    expect(viewCard(withoutEndpoint).card.url).toBe('/agents/team-data/notes');
  });

  it('names the skills and description every reader sees: those of the A2A document', () => {
    expect(cardSkillsOf(withStored)).toEqual([
      { id: 'cut-release', name: 'Cut a release', description: 'Tags and publishes', tags: ['release'] },
    ]);
    expect(cardDescriptionOf(withStored)).toBe('Cuts releases');
    const served = viewCard(withoutEndpoint).card.skills as { id: string; name: string }[];
    expect(cardSkillsOf(withoutEndpoint).map(({ id, name }) => ({ id, name }))).toEqual(
      served.map(({ id, name }) => ({ id, name })),
    );
    expect(served).toHaveLength(2);
  });

  it('summarizes a card afresh as the memoized readers see it', () => {
    for (const card of [withStored, withoutEndpoint]) {
      const summary = freshCardSummary(card);
      expect(summary).toEqual({
        skills: cardSkillsOf(card),
        description: cardDescriptionOf(card),
        displayName: cardDisplayNameOf(card),
      });
      // Remembered nowhere: each call is a new summary.
      expect(freshCardSummary(card)).not.toBe(summary);
      expect(freshCardSummary(card).skills).not.toBe(cardSkillsOf(card));
    }
    expect(freshCardSummary(withStored).displayName).not.toBe('');
  });

  it('keys its cache by spec.contentHash when stated, else by a hash of the spec', () => {
    const hashed: ViewedCard = { ...withoutEndpoint, spec: { ...withoutEndpoint.spec, contentHash: 'abc' } };
    expect(cardViewKey(hashed)).toBe('team-data/notes|abc');
    const key = cardViewKey(withoutEndpoint);
    expect(key).toMatch(/^team-data\/notes\|[0-9a-f]{64}$/);
    const changed: ViewedCard = {
      ...withoutEndpoint,
      spec: { ...withoutEndpoint.spec, capabilities: ['other'] },
    };
    expect(cardViewKey(changed)).not.toBe(key);
  });
});

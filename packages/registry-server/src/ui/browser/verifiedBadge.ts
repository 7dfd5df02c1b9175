import { isSignatureVerified, type AgentCard } from '@agent-registry/crds';
import { h } from './dom.js';

const TITLE = "The publisher's signature on this card verified against a key the registry trusts";

/**
 * A "Signature verified" badge for a card whose publisher signature verified (`SignatureVerified`
 * True), else nothing: an unsigned card and one whose signature failed look the same, never verified.
 */
export function verifiedBadge(card: AgentCard): HTMLElement | false {
  return (
    isSignatureVerified(card) &&
    h('span', { class: 'badge badge--verified', title: TITLE, text: 'Signature verified' })
  );
}

/** Shows the badge after `anchor` (the details' health badge), replacing the one of the card shown before. */
export function placeVerifiedBadge(card: AgentCard, anchor: HTMLElement): void {
  const previous = anchor.nextElementSibling;
  if (previous?.classList.contains('badge--verified')) previous.remove();
  const badge = verifiedBadge(card);
  if (badge) anchor.after(badge);
}

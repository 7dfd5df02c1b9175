import type { Health } from '@agent-registry/crds';
import { h } from './dom.js';

const BADGE_CLASS: Partial<Record<Health, string>> = {
  Healthy: 'badge--healthy',
  Unhealthy: 'badge--unhealthy',
};

/** A health badge: a new one, or `node` restyled in place. */
export function healthBadge(health: Health, node: HTMLElement = h('span')): HTMLElement {
  node.className = `badge ${BADGE_CLASS[health] ?? 'badge--unknown'}`;
  node.textContent = health;
  return node;
}

import type { A2AVersion, AgentCard } from '@agent-registry/crds';
import { wellKnownPath } from '@agent-registry/a2a-translator';
import { REGISTRY_API_BASE, type Status } from '@agent-registry/registry-client';

/** The registry's REST collection of cards (the catalog's only data source). */
export const CARDS_API = `${REGISTRY_API_BASE}/cards`;

/** One page of `GET CARDS_API`, as the REST API lists cards. */
export interface CardList {
  items: AgentCard[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** A skill as every A2A card version spells it. */
export interface A2ASkill {
  id: string;
  name: string;
  description?: string;
  tags?: string[];
}

/** The part of a served A2A card (either version) the catalog reads. */
export interface A2ACardDocument {
  skills?: A2ASkill[];
}

export interface CardRef {
  namespace: string;
  name: string;
}

export const cardPath = ({ namespace, name }: CardRef): string =>
  `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export const cardUrl = (ref: CardRef): string => `${CARDS_API}/${cardPath(ref)}`;

/** The card in A2A form, exactly as the registry serves it to agents. */
export const a2aCardUrl = (ref: CardRef, version: A2AVersion): string =>
  `${cardUrl(ref)}/a2a?a2aVersion=${encodeURIComponent(version)}`;

export const wellKnownUrl = (ref: CardRef): string =>
  `${location.origin}${wellKnownPath(ref.namespace, ref.name)}`;

/** GETs JSON; a non-2xx answer throws with its status and the problem's message. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    // Errors are the read contract's Status bodies.
    const status = body && typeof body === 'object' ? (body as Partial<Status>) : undefined;
    const message = typeof status?.message === 'string' ? status.message : response.statusText;
    throw new Error(`${response.status} ${message}`);
  }
  return body as T;
}

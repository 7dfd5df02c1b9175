"""Reads A2A agent cards with the installed official a2a-sdk (0.3.x or 1.x), default settings.

stdin: {"resolve": [url, ...], "parse": [url, ...]}
  resolve: each URL through the SDK's A2ACardResolver, as an application would;
  parse:   each URL's JSON fetched plainly, then the SDK's own card parser
           (0.3: AgentCard.model_validate; 1.x: parse_agent_card).
stdout: {"sdk": version, "resolve": [result, ...], "parse": [result, ...]}, each result
  {"url", "ok", "name", "endpoint", "schemes", "oauthFlows": {scheme: [flow, ...]}} or
  {"url", "ok": false, "error"}.
"""

import asyncio
import json
import sys
from importlib.metadata import version
from urllib.parse import urlsplit

import httpx
from a2a.client import A2ACardResolver

SDK = version("a2a-sdk")
CURRENT = not SDK.startswith("0.")

if CURRENT:
    from a2a.client.card_resolver import parse_agent_card as parse

    def endpoint(card):
        return card.supported_interfaces[0].url if card.supported_interfaces else ""

    def oauth_flows(card):
        return {
            name: [flow for flow in [scheme.oauth2_security_scheme.flows.WhichOneof("flow")] if flow]
            for name, scheme in card.security_schemes.items()
            if scheme.WhichOneof("scheme") == "oauth2_security_scheme"
        }

else:
    from a2a.types import AgentCard

    parse = AgentCard.model_validate

    def endpoint(card):
        return card.url

    def oauth_flows(card):
        return {
            name: sorted(scheme.root.flows.model_dump(exclude_none=True))
            for name, scheme in (card.security_schemes or {}).items()
            if scheme.root.type == "oauth2"
        }


def summary(url, card):
    return {
        "url": url,
        "ok": True,
        "name": card.name,
        "endpoint": endpoint(card),
        "schemes": sorted(card.security_schemes or {}),
        "oauthFlows": oauth_flows(card),
    }


def failure(url, error):
    return {"url": url, "ok": False, "error": f"{type(error).__name__}: {error}"[:600]}


async def resolve(client, url):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        card = await A2ACardResolver(client, f"{parts.scheme}://{parts.netloc}", path).get_agent_card()
        return summary(url, card)
    except Exception as error:  # noqa: BLE001 - every failure is a result to report
        return failure(url, error)


async def fetch_and_parse(client, url):
    try:
        response = await client.get(url)
        response.raise_for_status()
        return summary(url, parse(response.json()))
    except Exception as error:  # noqa: BLE001
        return failure(url, error)


async def main():
    request = json.load(sys.stdin)
    async with httpx.AsyncClient(timeout=30) as client:
        resolved = [await resolve(client, url) for url in request.get("resolve", [])]
        parsed = [await fetch_and_parse(client, url) for url in request.get("parse", [])]
    json.dump({"sdk": SDK, "resolve": resolved, "parse": parsed}, sys.stdout)


asyncio.run(main())

"""Reads each agent's card through the registry's MCP tool get_agent_card, with the official
Python MCP SDK's client over Streamable HTTP (default settings).

stdin: {"url": "<registry>/mcp", "cards": [{"namespace", "name"}, ...]}
stdout: {"sdk": version, "readings": [{"namespace", "card_name", "url", "ok", "name"?, "error"?}, ...]}
  where "card_name" is the AgentCard's name and "name" the A2A card's (the structured result's card.name).
"""

import asyncio
import json
import sys
from importlib.metadata import version

from mcp import Client


async def main():
    request = json.load(sys.stdin)
    readings = []
    async with Client(request["url"]) as client:
        for card in request["cards"]:
            reading = {"namespace": card["namespace"], "url": request["url"]}
            try:
                result = await client.call_tool(
                    "get_agent_card", {"namespace": card["namespace"], "name": card["name"]}
                )
                structured = result.structured_content or {}
                a2a = structured.get("card") or {}
                if result.is_error or not isinstance(a2a.get("name"), str):
                    text = " ".join(getattr(block, "text", "") for block in result.content)
                    raise RuntimeError(f"tool error: {text[:300]}")
                reading.update({"ok": True, "name": a2a["name"]})
            except Exception as error:  # noqa: BLE001 - every failure is a result to report
                reading.update({"ok": False, "error": f"{type(error).__name__}: {error}"[:600]})
            # The reading names its card by namespace/name, as the suite keys them.
            reading["card_name"] = card["name"]
            readings.append(reading)
    json.dump({"sdk": version("mcp"), "readings": readings}, sys.stdout)


asyncio.run(main())

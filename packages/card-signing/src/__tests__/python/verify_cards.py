"""Independent verifier for signed A2A cards: jwcrypto (JWS) + rfc8785 (JCS), no code of ours.

Reads {"cases": [{"name", "card", "jwks"}]} on stdin and prints, per case, the kids whose
signatures verified, the errors of the others, and the SHA-256 of the canonical payload it
computed (the card without "signatures", RFC 8785).
"""

import hashlib
import json
import sys

import rfc8785
from jwcrypto import jwk, jws
from jwcrypto.common import JWException, base64url_decode


def verify(card, jwks):
    signatures = card.pop("signatures", [])
    payload = rfc8785.dumps(card)
    keys = jwk.JWKSet.from_json(json.dumps(jwks))
    verified, errors = [], []
    for entry in signatures:
        header = json.loads(base64url_decode(entry["protected"]))
        kid = header.get("kid")
        key = keys.get_key(kid) if kid else None
        if key is None:
            errors.append(f"no key for kid {kid!r}")
            continue
        token = jws.JWS()
        try:
            token.deserialize(json.dumps({"protected": entry["protected"], "signature": entry["signature"]}))
            token.verify(key, detached_payload=payload)
            verified.append(kid)
        except (JWException, ValueError, TypeError) as exc:
            errors.append(f"{kid}: {type(exc).__name__}")
    return {
        "verified": verified,
        "errors": errors,
        "payloadSha256": hashlib.sha256(payload).hexdigest(),
    }


def main():
    request = json.load(sys.stdin)
    print(json.dumps({case["name"]: verify(case["card"], case["jwks"]) for case in request["cases"]}))


main()

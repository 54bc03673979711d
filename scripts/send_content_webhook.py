#!/usr/bin/env python3
"""Send a signed delivery to the LMS content webhook: what a git server's post-receive hook
runs after a push to the content repository. Standard library only, so that it runs on the git
server without the LMS installed.

    LMS_WEBHOOK_SECRET=... scripts/send_content_webhook.py https://lms.example.ma main

Each delivery is signed when it is sent, with a new delivery id: the LMS refuses a delivery
signed more than LMS_WEBHOOK_TOLERANCE_SECONDS (5 minutes) away from its clock, or one it has
received before (docs/security.md, "Webhook signatures").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid


def signed_request(base_url: str, ref: str, secret: str) -> urllib.request.Request:
    body = json.dumps({"ref": ref}).encode()
    timestamp, delivery = str(int(time.time())), uuid.uuid4().hex
    signed = f"{timestamp}.{delivery}.".encode() + body
    signature = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not base_url.startswith(("https://", "http://")):
        raise SystemExit(f"not an http(s) address: {base_url}")
    return urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        base_url.rstrip("/") + "/api/v1/content/webhook",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-LMS-Timestamp": timestamp,
            "X-LMS-Delivery": delivery,
            "X-LMS-Signature": signature,
        },
    )


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or not os.environ.get("LMS_WEBHOOK_SECRET"):
        print(__doc__, file=sys.stderr)
        return 2
    ref = argv[2] if len(argv) == 3 else "HEAD"
    request = signed_request(argv[1], ref, os.environ["LMS_WEBHOOK_SECRET"])
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the operator's URL
            print(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        print(error.code, error.read().decode(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

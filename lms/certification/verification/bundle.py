#!/usr/bin/env python3
"""Verify a certificate's evidence bundle offline. Needs Python 3 and ``cryptography`` only.

Run it in the folder the bundle was unzipped into: ``python3 verify_bundle.py [folder]``.
It prints ``OK`` and exits 0 when every check passes; otherwise it names each failure (and
the file concerned) and exits 1.

What it verifies:

1. Every evidence file against the digest the manifest records for it:
   - a submission (``evidence/submission-<id>/<file>``): SHA-256 of the canonical JSON
     object ``{file name: text}`` (keys sorted, no spaces, non-ASCII kept, UTF-8), exactly
     as the LMS computed ``code_hash`` when the code was submitted;
   - a company review (``evidence/review-<id>.json``): SHA-256 of the file's bytes, the
     canonical JSON the reviewer's digest was taken over.
2. The credential (``credential.json``) lists the same digests as the manifest (its
   ``evidence[].digestMultibase``).
3. The manifest's SHA-256 (of its canonical JSON) against ``manifest.sig.json``.
4. The issuer's Ed25519 signature over the manifest's canonical JSON (``manifest.sig.json``),
   with the public key of that id published in ``issuer.json`` (a Multikey: ``z`` +
   base58btc of ``0xed01`` + 32 key bytes).

What it does NOT verify: the credential's own Data Integrity proof (``eddsa-rdfc-2022``),
which needs RDF dataset canonicalisation of the JSON-LD document; ``lms`` (the public page
``/certificates/<id>``) or any Open Badges 3.0 verifier checks that proof. Nor does it say
whether the certificate has been revoked since (see the status list the credential names),
nor whether ``issuer.json`` is the issuer's real profile: compare it with ``<issuer>/issuer``.
Attendance evidence has no file; it is listed in the manifest only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not a base58 character")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def public_key(multibase: str) -> Ed25519PublicKey:
    if not multibase.startswith("z"):
        raise ValueError("publicKeyMultibase is not base58btc (it must start with 'z')")
    raw = base58_decode(multibase[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey (0xed01 and 32 key bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def evidence(manifest: dict) -> list[dict]:
    return [item for t in manifest.get("thresholds", []) for item in t.get("evidence", [])]


def check_submission(folder: Path, item: dict) -> list[str]:
    where = folder / "evidence" / f"submission-{item['id']}"
    if not where.is_dir():
        return [f"evidence/submission-{item['id']}/: missing"]
    files = {
        path.relative_to(where).as_posix(): path.read_bytes().decode("utf-8")
        for path in sorted(where.rglob("*"))
        if path.is_file()
    }
    if sha256(canonical(files)) == item.get("sha256"):
        return []
    names = ", ".join(f"evidence/submission-{item['id']}/{name}" for name in files)
    return [f"evidence/submission-{item['id']}/: SHA-256 differs from the manifest ({names})"]


def check_review(folder: Path, item: dict) -> list[str]:
    name = f"evidence/review-{item['id']}.json"
    path = folder / name
    if not path.is_file():
        return [f"{name}: missing"]
    if sha256(path.read_bytes()) != item.get("sha256"):
        return [f"{name}: SHA-256 differs from the manifest"]
    return []


def check_credential(credential: dict, manifest: dict) -> list[str]:
    listed = set()
    for entry in credential.get("evidence", []):
        data = entry.get("digestMultibase", "")[1:]
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        listed.add(raw[2:].hex())
    wanted = {item["sha256"] for item in evidence(manifest) if item.get("sha256")}
    if credential and listed != wanted:
        return ["credential.json: its evidence digests differ from the manifest's"]
    return []


def check_signature(folder: Path, manifest: dict) -> list[str]:
    signed = json.loads((folder / "manifest.sig.json").read_text(encoding="utf-8"))
    issuer = json.loads((folder / "issuer.json").read_text(encoding="utf-8"))
    problems = []
    if sha256(canonical(manifest)) != signed.get("manifest_sha256"):
        problems.append("manifest.json: SHA-256 differs from manifest.sig.json")
    methods = {
        m["id"].rsplit("#", 1)[-1]: m["publicKeyMultibase"]
        for m in issuer.get("verificationMethod", [])
    }
    if signed.get("key_id") not in methods:
        return [*problems, f"issuer.json: no key {signed.get('key_id')!r}"]
    try:
        key = public_key(methods[signed["key_id"]])
        key.verify(base64.b64decode(signed["signature"]), canonical(manifest))
    except (ValueError, InvalidSignature):
        problems.append("manifest.sig.json: the signature does not verify against issuer.json")
    return problems


def verify(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    credential = json.loads((folder / "credential.json").read_text(encoding="utf-8"))
    problems = []
    for item in evidence(manifest):
        if item.get("type") == "submission":
            problems += check_submission(folder, item)
        elif item.get("type") == "review":
            problems += check_review(folder, item)
    return problems + check_credential(credential, manifest) + check_signature(folder, manifest)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    try:
        problems = verify(folder)
    except (OSError, ValueError, KeyError) as exc:
        problems = [f"cannot read the bundle: {exc}"]
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        return 1
    print("OK: evidence files, manifest digest and issuer signature all verify")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

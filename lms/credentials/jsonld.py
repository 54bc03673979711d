"""JSON-LD canonicalisation (RDFC-1.0, a.k.a. URDNA2015) against locally pinned contexts only.

A credential's signature covers its canonical RDF, which depends on the contexts it names. If
they were fetched at run time, whoever controls the network could change what a signature means
(and verification would stop working offline), so the two standard contexts ship in
``contexts/`` with their SHA-256 pinned here, and the document loader serves them and nothing
else: any other URL raises ``ContextNotPinnedError``.

Canonicalisation is strict by default, like the "safe mode" the Data Integrity specification
recommends: a property that no context defines, or a relative IRI, would silently vanish from
the RDF, hence from what is signed, while still showing in the JSON a reader sees. Both are
rejected with ``UnsafeDocumentError`` instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

CONTEXTS_DIR = Path(__file__).parent / "contexts"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@dataclass(frozen=True)
class PinnedContext:
    filename: str
    #: SHA-256 of the file's bytes, so that an edited copy fails loudly instead of re-meaning
    #: every signature made with it.
    sha256: str


PINNED_CONTEXTS: dict[str, PinnedContext] = {
    CREDENTIALS_V2: PinnedContext(
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    OPEN_BADGES_V3: PinnedContext(
        "ob-v3p0-context-3.0.3.json",
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    ),
}

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class JsonLdDocumentError(ValueError):
    """A document cannot be canonicalised."""


class ContextNotPinnedError(JsonLdDocumentError):
    """The document names a context that is not pinned locally (it is never fetched)."""

    def __init__(self, url: str) -> None:
        pinned = ", ".join(sorted(PINNED_CONTEXTS))
        super().__init__(
            f"JSON-LD context {url!r} is not pinned locally and is never fetched; "
            f"pinned contexts: {pinned}"
        )
        self.url = url


class UnsafeDocumentError(JsonLdDocumentError):
    """Part of the document would be left out of its canonical form, hence out of a proof."""


def load_document(url: str, options: dict | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the pinned contexts and refuses everything else."""
    pinned = PINNED_CONTEXTS.get(url)
    if pinned is None:
        raise ContextNotPinnedError(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # A fresh copy each time: pyld may rewrite nested context URLs in place.
        "document": json.loads(_pinned_bytes(pinned.filename, pinned.sha256)),
    }


@functools.cache
def _pinned_bytes(filename: str, sha256: str) -> bytes:
    data = (CONTEXTS_DIR / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise JsonLdDocumentError(f"pinned context {filename} does not match its SHA-256")
    return data


def canonicalize(document: dict, *, strict: bool = True) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    dropped: list[str | None] = []
    processor = JsonLdProcessor(on_property_dropped=dropped.append)
    options = {
        "documentLoader": load_document,
        # A private cache: contexts resolved here never mix with other loaders' results.
        "contextResolver": ContextResolver({}, load_document),
        # No placeholder base: relative IRIs stay relative, so that strict mode can see them.
        "base": None,
    }
    try:
        expanded = processor.expand(document, options)
        if strict:
            _reject_unsafe(expanded, dropped)
        normalize_options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
        return processor.normalize(expanded, options | normalize_options)
    except JsonLdError as error:
        ours = _our_cause(error)
        if ours is not None:
            raise ours from None  # pyld wraps loader errors; ours already says what went wrong
        raise JsonLdDocumentError(f"invalid JSON-LD: {error}") from error


def _reject_unsafe(expanded: Any, dropped: list[str | None]) -> None:
    if dropped:
        names = ", ".join(sorted({repr(name) for name in dropped}))
        raise UnsafeDocumentError(f"properties no context defines: {names}")
    relative = sorted(set(_relative_iris(expanded)))
    if relative:
        raise UnsafeDocumentError(f"relative IRIs (ids or types): {', '.join(relative)}")


def _relative_iris(node: Any):
    if isinstance(node, list):
        for item in node:
            yield from _relative_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("@id", "@type"):
                for iri in value if isinstance(value, list) else [value]:
                    if isinstance(iri, str) and not _is_absolute_or_blank(iri):
                        yield iri
            elif key != "@value":  # literal values are data, never IRIs
                yield from _relative_iris(value)


def _is_absolute_or_blank(iri: str) -> bool:
    return iri.startswith("_:") or iri.startswith("@") or bool(_ABSOLUTE_IRI.match(iri))


def _our_cause(error: BaseException) -> JsonLdDocumentError | None:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, JsonLdDocumentError):
            return cause
        cause = cause.__cause__
    return None

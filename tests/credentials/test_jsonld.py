"""Canonicalisation against pinned contexts: nothing is ever fetched, nothing silently dropped."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lms.credentials import jsonld
from tests.credentials.conftest import FIXTURES

SHARED = Path(__file__).parents[3] / "shared" / "jsonld"


@pytest.mark.parametrize("url", sorted(jsonld.PINNED_CONTEXTS))
def test_loader_serves_each_pinned_context(url, no_network):
    remote = jsonld.load_document(url, {})
    assert remote["documentUrl"] == url
    assert remote["document"]["@context"]["@protected"] is True


def test_loader_returns_a_fresh_copy_each_time():
    first = jsonld.load_document(jsonld.CREDENTIALS_V2)["document"]
    first["@context"]["name"] = "changed"
    assert jsonld.load_document(jsonld.CREDENTIALS_V2)["document"]["@context"]["name"] != "changed"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "http://www.w3.org/ns/credentials/v2",
        "https://evil.example/context.json",
    ],
)
def test_loader_refuses_unknown_contexts_without_network(url, no_network):
    with pytest.raises(jsonld.ContextNotPinnedError, match="is not pinned locally") as error:
        jsonld.load_document(url, {})
    assert error.value.url == url


def test_canonicalize_names_the_unpinned_context(no_network, vector):
    document = vector["unsigned_credential"]
    document["@context"] = [*document["@context"], "https://evil.example/context.json"]
    with pytest.raises(jsonld.ContextNotPinnedError, match="evil.example"):
        jsonld.canonicalize(document)


def test_canonicalize_is_offline(no_network, vector):
    assert jsonld.canonicalize(vector["unsigned_credential"]) == vector["document_canonical_nquads"]


def test_pinned_files_are_the_fixture_copies_and_match_their_digests():
    for pinned in jsonld.PINNED_CONTEXTS.values():
        data = (jsonld.CONTEXTS_DIR / pinned.filename).read_bytes()
        assert hashlib.sha256(data).hexdigest() == pinned.sha256
        assert data == (FIXTURES / pinned.filename).read_bytes()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared folder is not beside the repository")
def test_repository_copies_match_the_shared_originals():
    for name in [p.filename for p in jsonld.PINNED_CONTEXTS.values()] + [
        "ob3-eddsa-rdfc-2022-test-vector.json"
    ]:
        assert (FIXTURES / name).read_bytes() == (SHARED / name).read_bytes()


def test_undefined_property_is_refused_not_dropped(vector):
    document = vector["unsigned_credential"]
    document["credentialSubject"]["achievement"]["criteria"]["score"] = 100
    with pytest.raises(jsonld.UnsafeDocumentError, match="'score'"):
        jsonld.canonicalize(document)
    # Without strict mode it would be dropped, i.e. not covered by a signature.
    assert jsonld.canonicalize(document, strict=False) == vector["document_canonical_nquads"]


@pytest.mark.parametrize(
    "alter",
    [
        lambda document: document["credentialSubject"].update(id="learners/42"),
        lambda document: document["type"].append("CustomBadge"),
    ],
    ids=["relative id", "undefined type"],
)
def test_relative_iri_is_refused(vector, alter):
    document = vector["unsigned_credential"]
    alter(document)
    with pytest.raises(jsonld.UnsafeDocumentError, match="relative IRIs"):
        jsonld.canonicalize(document)


def test_invalid_json_ld_raises_a_readable_error():
    with pytest.raises(jsonld.JsonLdDocumentError, match="invalid JSON-LD"):
        jsonld.canonicalize({"@context": 42, "name": "x"})

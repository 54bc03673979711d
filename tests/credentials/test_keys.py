"""The issuer's keys: generated on first use, private on disk, rotated without breaking old
certificates, and a retired key never signs again."""

from __future__ import annotations

import json
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from lms.credentials import proof
from lms.credentials.keys import KeyStore, KeyStoreError, RetiredKeyError
from tests.credentials.conftest import ISSUER

KEY_ID = r"^key-\d{4}-\d{2}-\d{2}-[0-9a-f]{6}$"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_use_generates_one_key(key_store):
    assert key_store.all() == []
    assert not key_store.directory.exists()

    key = key_store.current()

    assert key.private_key is not None
    assert key.id.startswith(f"key-{datetime.now(UTC):%Y-%m-%d}-")
    assert key.created_at.tzinfo is not None
    assert key.multibase.startswith("z6Mk")
    assert [k.id for k in key_store.all()] == [key.id]
    assert key_store.current().id == key.id  # the same key afterwards, not a new one


def test_key_id_has_the_documented_shape(key_store):
    assert re.match(KEY_ID, key_store.current().id)


def test_files_are_private_and_only_in_the_key_directory(key_store, tmp_path):
    key = key_store.current()

    assert mode(key_store.directory) == 0o700
    files = {path.name for path in key_store.directory.iterdir()}
    assert files == {"index.json", ".lock", f"{key.id}.pem", f"{key.id}.pub.pem"}
    for path in key_store.directory.iterdir():
        assert mode(path) == 0o600, path.name
    assert (
        (key_store.directory / f"{key.id}.pem")
        .read_text()
        .startswith("-----BEGIN PRIVATE KEY-----")
    )
    # Nothing is written anywhere else: no database, no stray temporary file.
    everything = {path.relative_to(tmp_path) for path in tmp_path.rglob("*")}
    assert {path.parts[:2] for path in everything} == {("instance",), ("instance", "keys")}


def test_concurrent_first_use_generates_a_single_key(key_store):
    # Each call opens its own lock file description, as separate worker processes would.
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(lambda _: KeyStore(key_store.directory).current().id, range(8)))
    assert len(ids) == 1
    assert len(key_store.all()) == 1


def test_signing_while_another_worker_rotates_never_fails(key_store):
    key_store.current()

    def sign(_):
        key = KeyStore(key_store.directory).current()
        return key.id, key.sign(b"data")

    def rotate(_):
        return KeyStore(key_store.directory).rotate().id

    with ThreadPoolExecutor(max_workers=8) as pool:
        signing = [pool.submit(sign, n) for n in range(40)]
        rotations = list(pool.map(rotate, range(6)))
        signatures = [future.result() for future in signing]

    keys = {key.id: key for key in key_store.all()}
    assert len(keys) == 7
    assert set(rotations) < set(keys)
    assert all(keys[key_id].verify(signature, b"data") for key_id, signature in signatures)


def test_a_new_store_on_the_same_directory_finds_the_same_key(key_store):
    key = key_store.current()
    again = KeyStore(key_store.directory).current()
    assert again.id == key.id
    assert again.multibase == key.multibase


def test_sign_and_verify(key_store):
    key = key_store.current()
    signature = key.sign(b"data")
    assert len(signature) == 64
    assert key.verify(signature, b"data")
    assert not key.verify(signature, b"other data")


def test_rotation_makes_a_new_current_key_and_keeps_the_old_one_published(key_store):
    old = key_store.current()
    new = key_store.rotate()

    assert new.id != old.id
    assert key_store.current().id == new.id
    assert [key.id for key in key_store.all()] == [old.id, new.id]  # oldest first
    assert key_store.get(old.id).multibase == old.multibase
    index = json.loads((key_store.directory / "index.json").read_text())
    retired = {entry["id"]: entry["retired_at"] for entry in index["keys"]}
    assert retired[old.id] is not None
    assert retired[new.id] is None


def test_retired_key_never_signs_again(key_store):
    old = key_store.current()
    key_store.rotate()

    retired = key_store.get(old.id)
    assert retired.private_key is None
    assert retired.retired
    with pytest.raises(RetiredKeyError, match="retired"):
        retired.sign(b"data")
    assert not (key_store.directory / f"{old.id}.pem").exists()  # the secret is gone
    assert (key_store.directory / f"{old.id}.pub.pem").exists()


def test_credentials_signed_before_rotation_still_verify(key_store, badge_credential):
    created = datetime(2026, 11, 23, 10, tzinfo=UTC)
    old = key_store.current()
    before = proof.sign(badge_credential, old, f"{ISSUER}#{old.id}", created)
    new = key_store.rotate()
    after = proof.sign(badge_credential, key_store.current(), f"{ISSUER}#{new.id}", created)

    resolve = key_store.resolver(ISSUER)
    assert proof.verify(before, resolve).ok
    assert proof.verify(after, resolve).ok
    assert before["proof"]["proofValue"] != after["proof"]["proofValue"]


def test_resolver_knows_only_this_issuers_keys(key_store):
    key = key_store.current()
    resolve = key_store.resolver(ISSUER)
    assert resolve(f"{ISSUER}#{key.id}").public_bytes_raw() == key.public_key.public_bytes_raw()
    assert resolve(f"{ISSUER}#key-1999-01-01-000000") is None
    assert resolve(f"https://other.example/issuer#{key.id}") is None


def test_several_rotations_keep_every_key(key_store):
    first = key_store.current()
    for _ in range(3):
        key_store.rotate()
    keys = key_store.all()
    assert len(keys) == 4
    assert keys[0].id == first.id
    assert [key.retired for key in keys] == [True, True, True, False]


def test_get_unknown_key_is_none(key_store):
    key_store.current()
    assert key_store.get("key-1999-01-01-000000") is None


def test_missing_index_beside_existing_keys_is_an_error_not_a_new_key(key_store):
    key_store.current()
    (key_store.directory / "index.json").unlink()
    with pytest.raises(KeyStoreError, match="missing"):
        key_store.current()


def test_mismatched_key_files_are_detected(key_store, tmp_path):
    key = key_store.current()
    other = KeyStore(tmp_path / "other").current()
    public = (tmp_path / "other" / f"{other.id}.pub.pem").read_bytes()
    (key_store.directory / f"{key.id}.pub.pem").write_bytes(public)
    with pytest.raises(KeyStoreError, match="do not belong together"):
        key_store.current()


def test_loose_directory_permissions_are_tightened(tmp_path):
    directory = tmp_path / "keys"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    KeyStore(directory).current()
    assert mode(directory) == 0o700

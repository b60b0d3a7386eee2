"""The one file-hashing helper reads a file in chunks and gives its exact size and SHA-256."""

import hashlib

from warehouse.files import file_digest, fsync_path


def test_digest_of_a_file_longer_than_one_chunk(tmp_path):
    data = bytes(range(256)) * 5000 + b"tail"  # about 1.2 MiB: two chunks
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    fsync_path(path)
    digest = file_digest(path)
    assert digest == (len(data), hashlib.sha256(data).hexdigest())
    assert digest.sha256 == hashlib.sha256(data).hexdigest()


def test_empty_file(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert file_digest(path) == (0, hashlib.sha256(b"").hexdigest())

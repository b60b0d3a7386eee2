"""The files `make test` starts first (tests/conftest.py SLOW_FILES) exist: a renamed file
would silently drop to the back of the queue and leave one worker finishing alone."""

from pathlib import Path

from tests.conftest import SLOW_FILES

ROOT = Path(__file__).resolve().parents[1]


def test_every_slow_file_named_exists_once():
    assert [name for name in SLOW_FILES if not (ROOT / name).is_file()] == []
    assert len(set(SLOW_FILES)) == len(SLOW_FILES)

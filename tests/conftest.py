"""Fixtures for every test folder: the real assistant and the tiny fact set (``tests/support/tiny.py``).

Folders that test the maintainers' loop override ``write_facts`` and ``assistant`` with the district set
(``tests/support/district.py``) in their own ``conftest.py``. Every test hashes user ids with a test key
(``JQA_HASH_KEY``) and has a config directory of its own, so none reads or writes the real
``~/.config/jinshui-qa``.
"""

from collections.abc import Iterator

import pytest

from tests.support.copied import facts, snapshot
from tests.support.tiny import assistant, no_facts_env, write_facts

__all__ = ["assistant", "facts", "hash_key", "no_facts_env", "snapshot", "write_facts"]
TEST_HASH_KEY = "test-hash-key-0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def hash_key(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    monkeypatch.setenv("JQA_HASH_KEY", TEST_HASH_KEY)
    monkeypatch.delenv("JQA_HASH_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    yield TEST_HASH_KEY

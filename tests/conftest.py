"""Fixtures for every test folder: the real assistant and the tiny fact set (``tests/support/tiny.py``).

Folders that test the maintainers' loop override ``write_facts`` and ``assistant`` with the district set
(``tests/support/district.py``) in their own ``conftest.py``.
"""

from tests.support.tiny import assistant, no_facts_env, write_facts

__all__ = ["assistant", "no_facts_env", "write_facts"]

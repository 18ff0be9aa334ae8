"""Fixtures of these tests: the district fact set of ``tests/support/district.py`` and fresh databases."""

from tests.support.district import assistant, db_path, facts_dir, fresh_db, write_facts

__all__ = ["assistant", "db_path", "facts_dir", "fresh_db", "write_facts"]

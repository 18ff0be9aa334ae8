"""The keyed user hash: where its key comes from, what is refused, and the old salt file retired."""

from __future__ import annotations

import hashlib
import hmac
import logging
import stat
from pathlib import Path

import pytest

from jinshui_qa.errors import ConfigError
from jinshui_qa.storage import user_hash
from jinshui_qa.storage.question_log import QuestionLog
from jinshui_qa.storage.user_hash import OLD_SALT_FILE, load_hasher
from tests.support.district import reply

KEY = "k" * 40


def expected(key: bytes, user: str) -> str:
    return hmac.new(key, user.encode(), hashlib.sha256).hexdigest()


def test_the_key_comes_from_the_environment_first(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text("f" * 64 + "\n")
    env = {"JQA_HASH_KEY": KEY, "JQA_HASH_KEY_FILE": str(key_file)}
    assert load_hasher(tmp_path / "data", env)(7) == expected(KEY.encode(), "7")
    assert load_hasher(tmp_path / "data", {"JQA_HASH_KEY_FILE": str(key_file)})(7) == expected(b"f" * 64, "7")
    hasher = load_hasher(tmp_path / "data", env)
    assert KEY not in repr(hasher) and hasher.tag(7).startswith("user ") and len(hasher.tag(7)) == 17
    assert hasher(None) is None and hasher("") is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JQA_HASH_KEY": "short"}, "JQA_HASH_KEY is too short"),
        ({"JQA_HASH_KEY_FILE": "/nonexistent/jqa_hash_key"}, "cannot read the hash key file"),
        ({"JQA_HASH_KEY_FILE": "{data}/hash_key"}, "is inside the data directory"),
        ({"JQA_HASH_KEY_FILE": "{data}/../data/sub/key"}, "is inside the data directory"),
        ({"JQA_HASH_KEY_FILE": "{tmp}/short"}, "holds 3 characters"),
        ({"XDG_CONFIG_HOME": "{data}"}, "is inside the data directory"),
    ],
)
def test_a_key_that_cannot_be_used_is_a_one_line_error(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    for name in ("hash_key", "sub/key"):
        (data / name).write_text("x" * 64)
    (tmp_path / "short").write_text("abc")
    env = {k: v.format(data=data, tmp=tmp_path) for k, v in env.items()}
    with pytest.raises(ConfigError, match=message) as caught:
        load_hasher(data, env)
    assert "\n" not in str(caught.value) and "x" * 32 not in str(caught.value)


def test_without_a_key_one_is_generated_outside_the_data_directory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    with caplog.at_level(logging.INFO, logger="jinshui_qa.storage.user_hash"):
        first = load_hasher(tmp_path / "data", env)(1)
        again = load_hasher(tmp_path / "data", env)(1)
    key_file = tmp_path / "config" / "jinshui-qa" / "hash_key"
    assert first == again == expected(key_file.read_bytes().strip(), "1")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert caplog.text.count("generated") == 1 and str(key_file) in caplog.text  # once, not per start
    assert not (tmp_path / "data").exists()


def test_no_key_and_no_place_for_one_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(
        ConfigError, match=r"no hash key is configured .* set JQA_HASH_KEY or JQA_HASH_KEY_FILE"
    ):
        load_hasher(tmp_path / "data", {"XDG_CONFIG_HOME": str(blocker)})


def test_the_default_docker_secret_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "run-secrets-jqa_hash_key"
    secret.write_text("s" * 64)
    monkeypatch.setattr(user_hash, "SECRETS_FILE", secret)
    assert load_hasher(tmp_path / "data", {})(5) == expected(b"s" * 64, "5")


def test_an_old_salt_file_is_deleted_with_a_note(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / OLD_SALT_FILE).write_text("ab" * 32)
    with caplog.at_level(logging.WARNING, logger="jinshui_qa"), QuestionLog.in_dir(data) as log:
        log.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
        log.record(channel="t", user_id=2, reply=reply(), latency_ms=1)
    assert not (data / OLD_SALT_FILE).exists()
    assert caplog.text.count("deleted the old salt file") == 1


def test_the_console_refuses_a_key_inside_the_data_directory(tmp_path: Path) -> None:
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir()
    (data / "key").write_text("x" * 64)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path("src").resolve()), "HOME": str(tmp_path),
           "JQA_DATA_DIR": str(data), "JQA_HASH_KEY_FILE": str(data / "key")}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "jinshui_qa", "chat"], input=b"hi\n", env=env, cwd=tmp_path,
                          capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        f"jinshui-qa: the hash key file {data / 'key'} is inside the data directory {data}: keep it elsewhere "
        "(whoever copies the data directory must not get the key)"
    ]

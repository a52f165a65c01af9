"""The SQLite backend queues writers (peacekit.core.sqlite): a second writer waits for the
first to commit or roll back and then goes on at once, with no "database is locked"."""

import fcntl
import os
import threading
import time

import pytest
from django.db import connection

from peacekit.core.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backend only")


def _wrapper(path) -> DatabaseWrapper:
    settings = {**connection.settings_dict, "NAME": str(path)}
    settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "timeout": 5}
    return DatabaseWrapper(settings, alias="writer-queue-test")


def _second_writer(path, started: threading.Event, out: dict):
    other = _wrapper(path)
    try:
        other.ensure_connection()
        started.set()
        began = time.monotonic()
        other._start_transaction_under_autocommit()
        out["waited"] = time.monotonic() - began
        other.cursor().execute("INSERT INTO t (v) VALUES (2)")
        other._commit()
    except Exception as error:  # reported to the test thread
        out["error"] = error
    finally:
        other.close()


def _queue_taken(path) -> bool:
    fd = os.open(f"{path}-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _run_against_holder(tmp_path, finish) -> dict:
    path = tmp_path / "queue.sqlite3"
    first = _wrapper(path)
    first.cursor().execute("CREATE TABLE t (v INTEGER)")
    first._start_transaction_under_autocommit()
    first.cursor().execute("INSERT INTO t (v) VALUES (1)")
    started, out = threading.Event(), {}
    thread = threading.Thread(target=_second_writer, args=(path, started, out))
    thread.start()
    started.wait()
    time.sleep(0.3)
    assert _queue_taken(path) and "waited" not in out  # the second writer is queued
    finish(first)
    thread.join(10)
    assert not _queue_taken(path)  # released by COMMIT / ROLLBACK
    out["rows"] = sorted(v for (v,) in first.cursor().execute("SELECT v FROM t").fetchall())
    first.close()
    assert (tmp_path / "queue.sqlite3-writer.lock").exists()
    return out


@pytest.fixture
def unblocked(django_db_blocker):
    """Our own database files, not the test database: pytest-django's guard does not apply."""
    with django_db_blocker.unblock():
        yield


def test_second_writer_waits_for_commit_then_writes(tmp_path, unblocked):
    out = _run_against_holder(tmp_path, lambda first: first._commit())
    assert "error" not in out
    assert 0.2 < out["waited"] < 2.0
    assert out["rows"] == [1, 2]


def test_rollback_releases_the_queue(tmp_path, unblocked):
    out = _run_against_holder(tmp_path, lambda first: first._rollback())
    assert "error" not in out
    assert 0.2 < out["waited"] < 2.0
    assert out["rows"] == [2]


def test_in_memory_databases_keep_the_stock_behaviour():
    memory = DatabaseWrapper({**connection.settings_dict, "NAME": ":memory:"}, alias="mem")
    assert memory._writer_lock_path() is None

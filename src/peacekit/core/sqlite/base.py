"""SQLite with a queue for writers.

Django's SQLite backend starts every transaction with ``BEGIN IMMEDIATE`` (our settings), so
two writers never deadlock — but a writer that finds the database locked waits in SQLite's
busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … 100 ms between tries and is not woken when
the lock is freed. Under concurrent public submissions most of that sleep is wasted: the lock
is free again after a millisecond while the waiters sleep on (p99 in the hundreds of
milliseconds, the cores idle).

This backend makes writers queue instead: before ``BEGIN IMMEDIATE`` a connection takes an
exclusive ``flock`` on ``<database>-writer.lock`` (one open file per connection, so threads
and processes queue alike) and releases it at COMMIT, ROLLBACK or close. A blocked ``flock``
is woken by the kernel the moment the holder releases it. Waiting is bounded by the
connection's ``timeout`` (the same as SQLite's busy timeout): after it the transaction starts
anyway and SQLite's own locking decides, as with the stock backend. Single statements in
autocommit mode (a vote, the bare insert) do not take the queue; SQLite serialises them as
before. In-memory databases (tests) use the stock behaviour.
"""

from __future__ import annotations

import fcntl
import os
import time

from django.db.backends.sqlite3 import base

# Polling the lock without blocking: short first waits, then at most this often (seconds).
_POLL_MAX = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock_fd: int | None = None
    _writer_lock_held = False

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}-writer.lock"

    def _writer_lock_acquire(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_lock_held:
            return
        if self._writer_lock_fd is None:
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fd = self._writer_lock_fd
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        wait = 0.0001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's busy timeout takes over
                time.sleep(wait)
                wait = min(wait * 2, _POLL_MAX)
            else:
                self._writer_lock_held = True
                return

    def _writer_lock_release(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
        self._writer_lock_held = False

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE"):
            self._writer_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._writer_lock_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._writer_lock_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._writer_lock_release()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None

"""SQLite with a queue for writers.

Django's SQLite backend starts every transaction with ``BEGIN IMMEDIATE`` (our settings), so
two writers never deadlock — but a writer that finds the database locked waits in SQLite's
busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … 100 ms between tries and is not woken when
the lock is freed. Under concurrent public submissions most of that sleep is wasted: the lock
is free again after a fraction of a millisecond while the waiters sleep on (p99 in the
hundreds of milliseconds, the cores idle).

This backend makes writers queue instead, in two stages before ``BEGIN IMMEDIATE``:

1. threads of one process wait on a lock per database file (woken the moment it is freed);
2. the one thread at the head of each process's queue takes an exclusive ``flock`` on
   ``<database>-writer.lock``, polling it every 0.05–0.25 ms while another process holds it.

Both are released at COMMIT, ROLLBACK or close. Waiting is bounded by the connection's
``timeout`` (the same as SQLite's busy timeout): after it the transaction starts anyway and
SQLite's own locking decides, as with the stock backend. Single statements in autocommit mode
(a vote) do not take the queue; SQLite serialises them as before. In-memory databases (tests)
use the stock behaviour.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base

_POLL_FIRST, _POLL_MAX = 0.00005, 0.00025  # seconds between tries of another process's lock
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock_fd: int | None = None
    _writer_thread_lock: threading.Lock | None = None
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
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        in_process = _process_lock(path)
        if not in_process.acquire(timeout=timeout):
            return  # SQLite's busy timeout takes over
        try:
            if self._writer_lock_fd is None:
                self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            wait = _POLL_FIRST
            while True:
                try:
                    fcntl.flock(self._writer_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        in_process.release()
                        return
                    time.sleep(wait)
                    wait = min(wait * 2, _POLL_MAX)
        except BaseException:
            in_process.release()
            raise
        self._writer_thread_lock = in_process
        self._writer_lock_held = True

    def _writer_lock_release(self) -> None:
        if not self._writer_lock_held:
            return
        self._writer_lock_held = False
        try:
            if self._writer_lock_fd is not None:
                fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
        finally:
            if self._writer_thread_lock is not None:
                self._writer_thread_lock.release()
                self._writer_thread_lock = None

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

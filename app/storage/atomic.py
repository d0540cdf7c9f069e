"""Crash-safe file writes and a cross-process lock, shared by settings, saved clients and
installed catalogs.

``write_atomic`` writes a temporary file in the same folder, flushes and fsyncs it, then renames
it over the target (``os.replace``: atomic on POSIX and Windows) and fsyncs the folder where the
system allows. A reader therefore sees the old file or the new one, never half of either, and a
power cut after the call returns loses nothing.

``FileLock`` is a lock *file* created with O_CREAT|O_EXCL, which works on local disks and on
network shares where ``flock`` does not. The lock file names its holder (host and process); a
lock whose process is gone (same host) or that is older than ``stale`` seconds is taken to belong
to a killed process and broken. A lock file that names no holder (empty or garbled: its writer
was killed, or the disk was full, between creating and writing it) is broken once it is
``GARBLED_STALE`` seconds old; a lock whose writing fails is removed at once, and a waiter waits
at least as long as ``stale``, so a lock left by a killed process never makes a save fail.
"""

from __future__ import annotations

import errno
import os
import socket
import tempfile
import time
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one step. Raises OSError if it cannot be written."""
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".~", suffix=".tmp")
    try:
        try:    # a replaced file keeps its permissions (a shared folder's, say); new ones are private
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except OSError:
            pass
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def fsync_dir(folder: str | Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_temporaries(folder: str | Path, older_than: float = 60.0) -> int:
    """Remove temporary files a killed writer left behind (never a finished file)."""
    now, removed = time.time(), 0
    try:
        entries = list(Path(folder).glob(".~*.tmp"))
    except OSError:
        return 0
    for p in entries:
        try:
            if now - p.stat().st_mtime > older_than:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed


class LockTimeout(OSError):
    pass


_HOST = (socket.gethostname() or "host").replace(" ", "_")


def _alive(pid: int) -> bool:
    """Is this process still running? (POSIX; elsewhere assume yes and rely on ``stale``.)"""
    if os.name != "posix" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


GARBLED_STALE = 3.0     # seconds after which a lock naming no holder is broken


def _holder(text: str) -> tuple[str, int] | None:
    """(host, pid) from a lock file's text, or None when it names no holder."""
    parts = text.split()
    if len(parts) == 2 and parts[1].isdigit():
        return parts[0], int(parts[1])
    return None


class FileLock:
    """``with FileLock(folder / "x.lock"):`` — one holder at a time across processes."""

    def __init__(self, path: str | Path, timeout: float = 20.0, stale: float = 15.0):
        # waiting at least ``stale``: a lock a killed process left on another host (or on a
        # system where a pid cannot be checked) is broken before the waiter gives up
        self.path, self.timeout, self.stale = Path(path), max(timeout, 0.0), stale
        self._held = False

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        delay = 0.002
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._break_if_stale()
                if time.monotonic() > deadline:
                    raise LockTimeout(f"{self.path}: locked by another program") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
                continue
            try:
                data = f"{_HOST} {os.getpid()}\n".encode()
                if os.write(fd, data) != len(data):
                    raise OSError(errno.ENOSPC, "lock file not written")
            except BaseException:        # a full disk, say: never leave a lock that names no one
                os.close(fd)
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
                raise
            os.close(fd)
            self._held = True
            return

    def _break_if_stale(self) -> None:
        try:
            age = time.time() - self.path.stat().st_mtime
            with open(self.path, "rb") as f:     # a lock file is a few bytes; read no more
                text = f.read(256).decode("utf-8", errors="replace")
        except OSError:
            return
        holder = _holder(text)
        if holder is None:
            stale = age > GARBLED_STALE or age < -GARBLED_STALE   # (a clock set back, too)
        else:
            host, pid = holder
            stale = (host == _HOST and not _alive(pid)) or abs(age) > self.stale
        if stale:
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def release(self) -> None:
        if self._held:
            self._held = False
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def __enter__(self) -> "FileLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

"""The lock file behind every save and catalog update: a full disk or a killed writer never
leaves a lock that blocks the next save."""

import errno
import os
import time

import pytest

from app.storage import atomic
from app.storage.atomic import FileLock, LockTimeout


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_full_disk_while_writing_the_lock_leaves_no_lock(tmp_path, monkeypatch):
    lock = tmp_path / ".lock"

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", full)
    with pytest.raises(OSError) as exc:
        FileLock(lock, timeout=0.2).acquire()
    assert exc.value.errno == errno.ENOSPC
    assert not lock.exists()
    monkeypatch.undo()
    with FileLock(lock, timeout=0.2):      # the next save gets the lock at once
        assert lock.read_text().split()[1] == str(os.getpid())
    assert not lock.exists()


@pytest.mark.parametrize("content", [b"", b"\x00\x00garbage", b"host"])
def test_an_old_lock_naming_no_holder_is_broken(tmp_path, content):
    lock = tmp_path / ".lock"
    lock.write_bytes(content)
    _age(lock, atomic.GARBLED_STALE + 2)
    start = time.monotonic()
    with FileLock(lock, timeout=1.0):
        pass
    assert time.monotonic() - start < 1.0


def test_a_fresh_empty_lock_is_respected(tmp_path):
    lock = tmp_path / ".lock"
    lock.write_bytes(b"")                  # its writer may be writing the pid right now
    with pytest.raises(LockTimeout):
        FileLock(lock, timeout=0.1).acquire()


def test_waiting_outlasts_the_stale_limit(tmp_path):
    lock = FileLock(tmp_path / ".lock")
    assert lock.timeout >= lock.stale


def test_a_stale_lock_of_another_host_is_broken_within_the_wait(tmp_path):
    path = tmp_path / ".lock"
    path.write_text("otherhost 12345\n")
    _age(path, 2.0)
    start = time.monotonic()
    with FileLock(path, timeout=3.0, stale=2.5):   # stale while we wait, before we give up
        pass
    assert time.monotonic() - start < 3.0


def test_a_live_holder_is_waited_for(tmp_path):
    path = tmp_path / ".lock"
    with FileLock(path):
        with pytest.raises(LockTimeout):
            FileLock(path, timeout=0.1).acquire()

"""Low-level file safety: a sidecar lock and an atomic TinyDB storage.

Why: TinyDB has no locking, and its JSONStorage rewrites the file in place, so a
reader (or a crash) can see half a file. Here every write goes to a temporary
file in the same directory, is fsynced, gets the original file's mode and group,
and is renamed over the data file: readers see the old or the new state, never a
mix. Writers serialise on an ``fcntl`` lock held on ``<file>.lock``; the kernel
drops the lock when a process dies, so a crashed writer never blocks anyone.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from tinydb.storages import Storage


class StoreError(Exception):
    """A problem with the data file, phrased for the user, naming the file."""

    def __init__(self, path: Path | str, message: str, *, damaged: bool = False):
        self.path = Path(path)
        self.message = message
        self.damaged = damaged  # the file cannot be read as a data file (a backup may help)
        super().__init__(f"{path}: {message}")


class LockTimeout(StoreError):
    pass


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def share_like(fd: int, mode: int, gid: int) -> None:
    """Give a sidecar file (lock, audit log) the data file's mode and group, so the whole team
    can use it (only its owner can change them; for everyone else this is a no-op)."""
    st = os.fstat(fd)
    try:
        if stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)
        if gid != -1 and st.st_gid != gid:
            os.fchown(fd, -1, gid)
    except PermissionError:
        pass


@contextmanager
def exclusive_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (created group-shareable like the data file)."""
    lpath = lock_path(path)
    try:
        st_data = path.stat()
        mode, gid = stat.S_IMODE(st_data.st_mode), st_data.st_gid
    except FileNotFoundError:
        mode, gid = _new_file_mode(), -1
    try:
        fd = os.open(lpath, os.O_RDWR | os.O_CREAT, mode)
    except PermissionError:
        raise StoreError(lpath, "you may not write the lock file next to the data file (permission denied): "
                         "ask its owner to add you to the file's group, and to make it group-writable") from None
    except FileNotFoundError:
        raise StoreError(path, f"the directory {path.parent} does not exist") from None
    try:
        share_like(fd, mode, gid)  # the lock file is shared like the data file
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(path, f"another writer has held the lock for {timeout:.0f} s") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.005)  # writes take milliseconds: look again soon
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def read_json(path: Path) -> Any:
    """The parsed file, or None when it does not exist. Bad files raise StoreError."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise StoreError(path, "permission denied: you may not read this file") from None
    except IsADirectoryError:
        raise StoreError(path, "is a directory, not a data file") from None
    if not raw.strip():
        raise StoreError(path, "the file is empty (it may have been truncated); restore a backup or remove it",
                         damaged=True)
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError(path, "is not a text file (not JSON); is this the right file?", damaged=True) from None
    except json.JSONDecodeError as exc:
        raise StoreError(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                         "it may be truncated or belong to another program", damaged=True) from None


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically, keeping its mode and group."""
    try:
        st = path.stat()
        mode, gid = stat.S_IMODE(st.st_mode), st.st_gid
    except FileNotFoundError:
        mode, gid = _new_file_mode(), -1
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            # mkstemp makes the file 0600: give it the data file's mode and group, or
            # the first save would lock the rest of the team out.
            os.fchmod(fh.fileno(), mode)
            if gid != -1:
                try:
                    os.fchown(fh.fileno(), -1, gid)
                except PermissionError:
                    pass  # not a member of that group: the directory's setgid bit decides
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads the file once and writes it atomically."""

    def __init__(self, path: str | Path, initial: Any = None):
        self.path = Path(path)
        self._initial = initial

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._initial is not None:
            data, self._initial = self._initial, None
            return data
        return read_json(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self.path, data)

    def close(self) -> None:
        pass

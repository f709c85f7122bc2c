"""Low-level file safety: the writers' lock, safe opening of files beside the data file, the
atomic write, and the strict, fast JSON codec (the TinyDB storage built on them: storage.py).

Why: TinyDB has no locking, and its JSONStorage rewrites the file in place, so a
reader (or a crash) can see half a file. Here every write goes to a temporary
file in the same directory, is fsynced, gets the original file's mode and group,
and is renamed over the data file: readers see the old or the new state, never a
mix.

Writers serialise on an ``fcntl.flock`` held on the data file's *directory*. A
teammate can delete or replace any file in a shared directory (a lock file among
them: the next writer would then lock a fresh file while the first still writes),
but not the directory itself, so nobody can break the lock. The kernel drops it when
a process dies, so a crashed writer never blocks anyone, and ``/proc/locks`` tells a
waiting writer who holds it.

Every file beside the data file (audit log, backups, temporary files) may have been
planted by another member of the group: :func:`open_regular` never follows a
symbolic link, never blocks on a FIFO or device, and refuses anything but a plain
regular file; only a file this process has just created is ever chmod-ed or chown-ed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from ..readfile import kind


class StoreError(Exception):
    """A problem with the data file, phrased for the user, naming the file."""

    def __init__(self, path: Path | str, message: str, *, damaged: bool = False):
        self.path = Path(path)
        self.message = message
        self.damaged = damaged  # the file cannot be read as a data file (a backup may help)
        super().__init__(f"{path}: {message}")


class LockTimeout(StoreError):
    pass


MAX_SIDE_FILE = 1 << 30  # a file beside the data file larger than this is not ours (1 GiB)


def lock_path(path: Path) -> Path:
    """What writers of ``path`` lock: its directory (see the module's docstring)."""
    return path.parent


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def share_like(fd: int, mode: int, gid: int) -> None:
    """Give a file this process has just created the data file's mode and group, so the whole
    team can use it. Never call it on a file that was there before: it may be a teammate's."""
    st = os.fstat(fd)
    try:
        if stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)
        if gid != -1 and st.st_gid != gid:
            os.fchown(fd, -1, gid)
    except PermissionError:
        pass


class NotRegular(StoreError):
    """A path beside the data file that is not a plain regular file (a link, FIFO, device...)."""

    def __init__(self, path: Path | str, what: str):
        self.what = what
        super().__init__(
            path,
            f"is {what}, not a file tui-advisor made; it was not used (someone may have "
            "planted it). Remove it, or ask the team who did, and try again",
        )


def open_regular(
    path: Path | str, flags: int, *, create_mode: int | None = None, dir_fd: int | None = None, single_link: bool = True
) -> tuple[int, bool]:
    """Open a file beside the data file safely: (descriptor, whether this call created it).

    Never follows a symbolic link (O_NOFOLLOW), never blocks on a FIFO or device
    (O_NONBLOCK, then fstat), and refuses anything but a regular file; with
    ``single_link``, also a file with other hard links (a teammate's file linked in).
    With ``create_mode``, a missing file is created exclusively with that mode.
    """
    base = flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    for _attempt in range(5):
        created = False
        try:
            if create_mode is not None:
                try:
                    fd = os.open(path, base | os.O_CREAT | os.O_EXCL, create_mode, dir_fd=dir_fd)
                    created = True
                except FileExistsError:
                    fd = os.open(path, base, dir_fd=dir_fd)
            else:
                fd = os.open(path, base, dir_fd=dir_fd)
        except FileNotFoundError:
            if create_mode is not None:
                continue  # removed between the two opens: create it again
            raise
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NotRegular(path, "a symbolic link") from None
            if exc.errno in (errno.ENXIO, errno.EISDIR, errno.EWOULDBLOCK):
                raise NotRegular(path, "a socket or a directory") from None
            raise
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise NotRegular(path, kind(st.st_mode))
            if single_link and st.st_nlink > 1:
                raise NotRegular(path, f"a file with {st.st_nlink} hard links (one of them may be a teammate's file)")
            if st.st_size > MAX_SIDE_FILE:
                raise StoreError(path, f"is {st.st_size:,} bytes, far larger than tui-advisor writes; it was not used")
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        except BaseException:
            os.close(fd)
            raise
        return fd, created
    raise StoreError(path, "keeps disappearing while it is opened; try again")


def read_regular(path: Path | str, *, dir_fd: int | None = None, single_link: bool = False) -> bytes:
    """The whole content of a regular file, opened as :func:`open_regular` does."""
    return read_regular_stat(path, dir_fd=dir_fd, single_link=single_link)[0]


def read_regular_stat(
    path: Path | str, *, dir_fd: int | None = None, single_link: bool = False
) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular`, and the file's status taken when it was opened, before it was read
    (a change made while it is read shows in the file's times afterwards, never in these)."""
    fd, _ = open_regular(path, os.O_RDONLY, dir_fd=dir_fd, single_link=single_link)
    try:
        st = os.fstat(fd)
        # the whole file in one read (the usual case: no list of chunks to join), one byte more
        # to see a file that grew since; then on to the end in chunks
        chunks = [os.read(fd, st.st_size + 1)]
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), st
            chunks.append(chunk)
    finally:
        os.close(fd)


def lock_holder(fd: int) -> str:
    """Who holds the flock on the file open as ``fd``: 'sam (pid 4242)', from the kernel's
    /proc/locks (nothing any teammate can write); '' when it cannot be told."""
    try:
        st = os.fstat(fd)
        want = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read(1 << 20).splitlines()
    except OSError:
        return ""
    for line in lines:
        parts = line.split()
        if len(parts) < 6 or "->" in parts or parts[1] != "FLOCK" or parts[5] != want:
            continue
        pid = parts[4]
        if not pid.isdigit():
            continue
        try:
            import pwd

            user = pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name
        except (OSError, KeyError):
            user = ""
        return f"{user} (pid {pid})" if user else f"pid {pid}"
    return ""


@contextmanager
def exclusive_lock(path: Path, timeout: float = 30.0, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the writers' lock of data file ``path`` (a flock on its directory).

    ``on_wait(holder)`` is called once when the lock is busy, with who holds it
    ('sam (pid 4242)', or '' when that cannot be told), before waiting up to ``timeout``.
    """
    directory = path.parent
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise StoreError(path, f"the directory {directory} does not exist") from None
    except PermissionError:
        raise StoreError(
            path,
            f"you may not read the directory {directory} (permission denied): ask its owner "
            "to make it readable for the team's group (chmod g+rx)",
        ) from None
    except NotADirectoryError:
        raise StoreError(path, f"{directory} is not a directory") from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.001
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not told:
                    told = True
                    if on_wait is not None:
                        on_wait(lock_holder(fd))
                if time.monotonic() >= deadline:
                    holder = lock_holder(fd)
                    raise LockTimeout(
                        path,
                        f"another writer{' (' + holder + ')' if holder else ''} has held "
                        f"the lock for {timeout:.0f} s; nothing was changed",
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.005)  # writes take milliseconds: look again soon
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# ---------------------------------------------------------------------------------- JSON


class DuplicateKey(ValueError):
    def __init__(self, key: str, pairs: list[tuple[str, Any]]):
        self.key = key
        ident = next((v for k, v in pairs if k == "id" and isinstance(v, str)), None)
        self.record = ident
        super().__init__(key)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _v in pairs:
            if k in seen:
                raise DuplicateKey(k, pairs)
            seen.add(k)
    return d


def _loads_slow(text: str) -> Any:
    """Python's json with a duplicate check on every object: the reference the fast path
    agrees with, and the one that words a problem (line and column, the repeated key)."""
    return json.loads(text, object_pairs_hook=_no_duplicates)


_fast_decode = msgspec.json.Decoder().decode
_encoder = msgspec.json.Encoder()


def encode(data: Any) -> bytes:
    """The compact JSON of ``data`` as UTF-8 bytes: the codec of the data file and the audit log
    (msgspec; the same bytes as ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``
    for the data tui-advisor stores, in a fifth of the time)."""
    return _encoder.encode(data)


def _no_key_repeated(text: str | bytes, value: Any) -> bool:
    """Whether the objects of ``text`` (whose decoded form is ``value``) hold no key twice.

    Every member of an object has one ':' outside strings; a decoder keeps one member of
    a repeated key, and drops the other's ':' (and every ':' inside its value). So the
    text holds as many ':' as ``value`` encoded again iff no key repeats -- as long as
    each ':' inside a string is written as itself: an escape ``\\u003a`` would count in
    the decoded form only, so a text with such an escape is left to the slow parser."""
    if isinstance(text, bytes):
        if b"\\u003" in text:
            return False
        return text.count(b":") == encode(value).count(b":")
    if "\\u003" in text:
        return False
    return text.count(":") == encode(value).count(b":")


def loads_strict(text: str | bytes) -> Any:
    """``json.loads`` that raises DuplicateKey when an object holds a key twice.

    Fast path: msgspec decodes (about 2.5x faster than ``json.loads``) and a count of ':'
    (:func:`_no_key_repeated`) shows that no key repeats. Anything else -- a repeated key,
    text msgspec refuses (bad JSON, NaN, 1e400, a lone surrogate), text too deep -- goes
    to Python's json with a duplicate check on every object, which raises what it always
    raised (JSONDecodeError with line and column, DuplicateKey, ValueError, RecursionError)
    or returns what it always returned."""
    value = _fast(text)
    if value is not _SLOW:
        return value
    return _loads_slow(text.decode("utf-8") if isinstance(text, bytes) else text)


_SLOW = object()  # the fast path cannot tell: ask the slow one


def _fast(text: str | bytes) -> Any:
    """The decoded value when msgspec reads ``text`` and no key repeats; else ``_SLOW``."""
    try:
        value = _fast_decode(text)
    except (msgspec.DecodeError, RecursionError):
        return _SLOW
    return value if _no_key_repeated(text, value) else _SLOW


def parse_json(path: Path | str, raw: bytes, *, what: str = "data file") -> Any:
    """Parse a file's bytes strictly: every problem is a StoreError naming the file."""
    if not raw.strip():
        raise StoreError(
            path, "the file is empty (it may have been truncated); restore a backup or remove it", damaged=True
        )
    try:
        value = _fast(raw)
    except MemoryError:
        raise StoreError(path, "is too large to read", damaged=True) from None
    if value is not _SLOW:
        return value
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(
            path, f"is not a text file (not UTF-8 at byte {exc.start}); is this the right file?", damaged=True
        ) from None
    try:
        return _loads_slow(text)
    except json.JSONDecodeError as exc:
        raise StoreError(
            path,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"it may be truncated or belong to another program",
            damaged=True,
        ) from None
    except DuplicateKey as exc:
        where = f" in the record {exc.record!r}" if exc.record else ""
        raise StoreError(
            path,
            f"holds the key {exc.key!r} twice{where}: which one is meant cannot be told; "
            f"fix the {what} by hand or restore a backup",
            damaged=True,
        ) from None
    except RecursionError:
        raise StoreError(
            path,
            "is nested too deeply to be a tui-advisor file (thousands of levels of brackets); it was not read",
            damaged=True,
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise StoreError(
            path, f"holds a value that cannot be read ({str(exc)[:120]}); it may be damaged", damaged=True
        ) from None
    except MemoryError:
        raise StoreError(path, "is too large to read", damaged=True) from None


def read_json_stat(path: Path) -> tuple[Any, os.stat_result] | None:
    """The parsed data file and its status (taken when it was opened, before it was read), or
    None when it does not exist. Bad files raise StoreError.

    The data file is opened without following a link and without blocking on a FIFO."""
    try:
        raw, st = read_regular_stat(path)
    except FileNotFoundError:
        return None
    except PermissionError:
        raise StoreError(path, "permission denied: you may not read this file") from None
    except NotRegular as exc:
        if exc.what == "a symbolic link":
            raise StoreError(
                path,
                "is a symbolic link that someone else made: tui-advisor does not follow it "
                "(a teammate may not redirect your data file). Give the real path, or remove the "
                "link",
            ) from None
        raise StoreError(
            path,
            f"is {exc.what}, not a tui-advisor data file; give the path of the data file "
            "(e.g. /srv/agency/agency.json)",
        ) from None
    except OSError as exc:
        raise StoreError(path, f"cannot be read: {exc.strerror}") from None
    return parse_json(path, raw), st


def write_error(path: Path, exc: OSError) -> StoreError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(
            path,
            "the disk is full (no space left on the device, or the quota is used up); "
            "nothing was changed: free some space and save again",
        )
    if exc.errno == errno.EROFS:
        return StoreError(path, "the file system is read-only; nothing was changed")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StoreError(path, f"you may not write in {path.parent} (permission denied); nothing was changed")
    if exc.errno == errno.EISDIR:
        return StoreError(path, "is a directory, not a file; nothing was written")
    return StoreError(path, f"cannot be written ({exc.strerror or exc}); nothing was changed")


def write_bytes_atomic(path: Path, payload: bytes, *, mode: int | None = None, gid: int = -1) -> os.stat_result:
    """Write ``payload`` to ``path`` through a new, unique temporary file beside it (created
    exclusively, never through a link), fsynced and renamed over ``path``: the old content
    or the new, never half. ``path`` itself, if a link, is replaced, not followed. A
    temporary file someone removes before the rename is written again (twice at most).
    Returns the new file's status, taken after the rename from the file written (whatever
    anyone has put at ``path`` since)."""
    if mode is None:
        mode = _new_file_mode()
    for attempt in range(3):
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise write_error(path, exc) from None
        try:
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    # mkstemp makes the file 0600: give it the data file's mode and group, or
                    # the first save would lock the rest of the team out (our own new file).
                    os.fchmod(fh.fileno(), mode)
                    if gid != -1:
                        try:
                            os.fchown(fh.fileno(), -1, gid)
                        except PermissionError:
                            pass  # not a member of that group: the directory's setgid bit decides
                    os.fsync(fh.fileno())
                    os.replace(tmp, path)
                    written = os.fstat(fh.fileno())
                _fsync_directory(path.parent)
                return written
            except FileNotFoundError:
                if attempt == 2:
                    raise StoreError(
                        path,
                        "its temporary file keeps being removed by someone while it is written; nothing was changed",
                    ) from None
            except OSError as exc:
                raise write_error(path, exc) from None
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
    raise AssertionError("unreachable: the third attempt returns or raises")


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (best effort: some file systems refuse)."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def write_json_atomic(path: Path, data: Any) -> os.stat_result:
    """Write ``data`` as JSON to ``path`` atomically, keeping its mode and group; the new file's
    status (see :func:`write_bytes_atomic`)."""
    try:
        st = os.stat(path, follow_symlinks=False)
        mode, gid = stat.S_IMODE(st.st_mode), st.st_gid
        if not stat.S_ISREG(st.st_mode):
            mode, gid = _new_file_mode(), -1
    except FileNotFoundError:
        mode, gid = _new_file_mode(), -1
    return write_bytes_atomic(path, encode(data), mode=mode, gid=gid)

"""Reading a text file that someone else may have planted (rule files, the config file, a file
to import or advise on); what a file is, in words (the store says it of the files beside
the data file too).

Rule files often sit in a folder the whole team can write to, so any member can put a FIFO,
a device, a symlink to ``/dev/zero`` or a huge file there. :func:`read_text` reads only a
regular file (a symlink to a regular file is followed: a user's own links are fine), never
opens anything else, never waits, and never reads more than ``limit + 1`` bytes:

- ``stat`` first (following links): anything but a regular file is refused unopened, so no
  device is ever opened (opening some devices has effects) and no FIFO is waited on;
- then ``open(O_NONBLOCK | O_NOCTTY)`` and ``fstat`` the open file: if the path was swapped
  for something else in between, that is refused too, and the open cannot block;
- at most ``limit + 1`` bytes are read, whatever the file claims its size is;
- the text must be UTF-8; the message gives the line of the first bad byte.

Every refusal is a :class:`FileRefused` whose message says what is wrong (without the path:
the caller names the file).

Also :func:`no_gc`, the cyclic garbage collector off around reading (or writing) a large file:
the store's transactions and ``workspace.load_input`` (which imports no store) both use it.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

MAX_FILE_BYTES = 256 * 1024  # 256 KiB: the built-in rule files are 1 to 5 KB each


class FileRefused(Exception):
    """The file was not read; the message says why (``line``: where, when it is about a line)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def kind(mode: int) -> str:
    """What a file is, in words, from its ``st_mode``."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def size_text(n: int) -> str:
    """``2.3 MiB``, ``256 KiB``, ``900 bytes``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 ", " ")
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"


def read_text(path: os.PathLike[str] | str, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes; FileRefused otherwise.
    FileNotFoundError passes through (the caller may treat a missing file as empty)."""
    return utf8_text(read_bytes(path, limit))


def read_bytes(path: os.PathLike[str] | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, as :func:`read_text` reads them
    (the same refusals), for a caller that decodes them itself (``utf8_text`` words a bad byte)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"cannot read the file: it is {kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise FileRefused(
            f"cannot read the file: it is too large ({size_text(st.st_size)}; at most {size_text(limit)})"
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
            raise FileRefused(f"cannot read the file: it is {kind(st.st_mode)}, not a regular file")
        chunks: list[bytes] = []
        got = 0
        step = max(st.st_size + 1, 256 * 1024)  # the whole file at once (one read, no join), then to the end
        while got <= limit:
            try:
                chunk = os.read(fd, min(limit + 1 - got, step))
            except BlockingIOError:  # a regular file does not do this; refuse rather than wait
                raise FileRefused("cannot read the file without waiting") from None
            except OSError as exc:
                raise FileRefused(f"cannot read the file: {exc.strerror}") from None
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    if got > limit:  # it grew after the stat
        raise FileRefused(f"cannot read the file: it is too large (more than {size_text(limit)})")
    return b"".join(chunks)


def utf8_text(data: bytes) -> str:
    """``data`` as UTF-8 text; FileRefused gives the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            f"cannot read the file: it is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})", line
        ) from None


@contextmanager
def no_gc(freeze_after: int | None = None) -> Iterator[None]:
    """The cyclic garbage collector off: reading or writing a large file makes many objects and
    no cycles, and the collector would walk all of them again and again (seconds on L).

    ``freeze_after``: when the block made at least that many objects, they are moved out of the
    collector's reach for good (``gc.freeze``) before it is switched on again: records that live
    as long as the process and hold no cycles are not scanned by the next collections (freezing
    also keeps what was garbage then, until the exit: only after a big load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze_after is not None and gc.get_count()[0] >= freeze_after:
                gc.freeze()
            gc.enable()

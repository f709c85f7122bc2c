"""Who has the data file open: one small file per running app session, beside the data file.

Each session of the app writes ``agency.json.presence/<session>.json`` (the folder is
named as the audit log and the backups folder are: the data file's name and a suffix)
and rewrites it every few seconds while it runs (a heartbeat: :meth:`Presence.heartbeat`,
called by the app's poll); :meth:`Presence.leave` removes it when the app ends. A file
whose heartbeat is older than :data:`STALE_SECONDS` is a session that ended without
saying so (killed, crashed, its terminal gone) and is left out; so is one whose process
is gone on this host.

What a session says of itself: whether it is in a review (``review``), on which page,
at which item, whether it leads it or follows the leader's page, and whether it is
read-only (it may not write the data file). The leader's page is read from the
leader's file: page turns are never written into the data file.

Every member of the group can write in that folder, so every file in it may be
crafted. Nothing here follows a link (the folder and its files are opened with
O_NOFOLLOW, the files through the folder's descriptor), opens anything but a regular
file with one link, or reads more than :data:`MAX_FILE` bytes of one, or more than
:data:`MAX_FILES` of them; a file that is not a session (bad JSON, wrong fields, a
link, a FIFO, too large) is skipped and counted, never an error. The name shown for a
session is its file's owner (the OS user of ``st_uid``), not what the file claims,
unless the owner is this process's own user (tests, or a team sharing one account):
then the claimed name is used. Every text goes through safetext.visible.

Writing never raises: a session that cannot write the folder (no write permission
there, a planted link) is not shown to the others, says why in ``problem``, and the app
works on. Headless: nothing here imports Textual.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import socket
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..safetext import visible
from ..store.files import StoreError, open_regular

STALE_SECONDS = 10.0  # a session whose file was not rewritten for this long has ended
HEARTBEAT_SECONDS = 3.0  # a session rewrites its file this often (well within STALE_SECONDS)
MAX_FILE = 4096  # bytes: a larger file is not a session
MAX_FILES = 200  # session files read at most (the others are counted as skipped)
MAX_ENTRIES = 2000  # names of the folder looked at at most (a folder stuffed with names stays cheap)
REMOVE_OWN_AFTER = 600.0  # seconds: this user's own files this stale are removed (sessions that crashed)
PAGES = ("scorecard", "actions", "issues", "conclude")  # the review's pages, in order
SUFFIX = ".presence"

MAX_USER = 64
MAX_REVIEW = 64
MAX_ITEM = 200

_SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NAME = re.compile(r"([A-Za-z0-9_-]{1,64})\.json")
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass(frozen=True)
class Here:
    """One session on the data file, as its presence file says (the user from the file's owner)."""

    user: str  # the OS user (safe to show)
    session: str  # the file's name without .json
    since: str  # when the session started, UTC ISO ("2026-12-01T17:22:05Z")
    seen: str  # its last heartbeat (the file's modification time), UTC ISO
    review: str = ""  # the review it is in ("rv-0001"), "" when in none
    page: str = ""  # its page of the review: one of PAGES, or ""
    item: str = ""  # the review item it is at (a ReviewItem key), or ""
    leading: bool = False  # it leads the review (the others follow its page)
    following: bool = True  # it follows the leader's page (False: stepped out)
    read_only: bool = False  # it may not change the data file: it can follow, not decide
    age: float = 0.0  # seconds since its last heartbeat


@dataclass
class Seen:
    """What the presence folder holds: the live sessions (by start), how many files were not
    sessions (skipped: crafted, damaged, too many), and why the folder could not be read ('' if it could)."""

    sessions: list[Here]
    skipped: int = 0
    problem: str = ""


def presence_dir(data_path: Path | str) -> Path:
    """The folder of the sessions of ``data_path``: ``agency.json.presence`` beside it."""
    p = Path(data_path)
    return p.with_name(p.name + SUFFIX)


def new_session() -> str:
    """A session id no other session has: the process id and random hex ('4242-9f3a1c7e')."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def utc_iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uid() -> int:
    """This process's own user id (a function: the tests pretend to be someone else)."""
    return os.geteuid()


_names: dict[int, str] = {}


def user_name(uid: int) -> str:
    """The login name of ``uid`` ('ann'), or 'uid 1234' when it has none."""
    name = _names.get(uid)
    if name is None:
        import pwd

        try:
            name = pwd.getpwuid(uid).pw_name
        except (KeyError, OverflowError):
            name = f"uid {uid}"
        _names[uid] = name = _cut(visible(name), MAX_USER)
    return name


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_HOST = socket.gethostname()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process, alive
        return True
    return True


def _open_dir(directory: Path) -> int | None:
    """The folder, opened without following a link; None when it is not there. StoreError when
    it is a link or not a folder, or cannot be opened."""
    try:
        return os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            what = "a symbolic link" if os.path.islink(directory) else "not a folder"
            raise StoreError(
                directory,
                f"is {what}, not the folder tui-advisor makes for who is here; it was not used "
                "(someone may have planted it). Remove it",
            ) from None
        raise StoreError(directory, f"cannot be opened ({exc.strerror})") from None


def _parse(raw: bytes) -> dict[str, Any] | None:
    """The fields of a session file, checked; None when it is not a session."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    out: dict[str, Any] = {}
    for key, limit in (("user", MAX_USER), ("since", 32), ("review", MAX_REVIEW), ("item", MAX_ITEM), ("page", 32)):
        value = doc.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            return None
        out[key] = value
    for key, default in (("leading", False), ("following", True), ("read_only", False)):
        value = doc.get(key, default)
        if not isinstance(value, bool):
            return None
        out[key] = value
    for key in ("pid",):
        value = doc.get(key)
        out[key] = value if type(value) is int and 0 < value < 1 << 31 else None
    host = doc.get("host")
    out["host"] = host if isinstance(host, str) else ""
    return out


def read_sessions(data_path: Path | str, *, now: float | None = None) -> Seen:
    """The live sessions on ``data_path`` (every one: this process's own included), by start."""
    directory = presence_dir(data_path)
    now = time.time() if now is None else now
    try:
        dfd = _open_dir(directory)
    except StoreError as exc:
        return Seen([], 0, f"{visible(exc.path)}: {exc.message}")
    if dfd is None:
        return Seen([])
    found: list[Here] = []
    skipped = 0
    try:
        read = 0
        with os.scandir(dfd) as it:
            for looked, entry in enumerate(it):
                if looked >= MAX_ENTRIES:
                    skipped += 1
                    break
                name = entry.name
                if name.startswith("."):  # a session's temporary file, being written
                    continue
                m = _NAME.fullmatch(name)
                if m is None or read >= MAX_FILES:
                    skipped += 1
                    continue
                read += 1
                here = _read_one(dfd, name, m[1], now)
                if here is None:
                    skipped += 1
                elif here is not _STALE:
                    assert isinstance(here, Here)
                    found.append(here)
    except OSError as exc:
        return Seen(found, skipped, f"{visible(directory)}: cannot be read ({exc.strerror})")
    finally:
        os.close(dfd)
    found.sort(key=lambda h: (h.since, h.user, h.session))
    return Seen(found, skipped)


_STALE: Any = object()


def _read_one(dfd: int, name: str, session: str, now: float) -> Here | None | Any:
    """One session file: a Here, _STALE (a session that ended), or None (not a session)."""
    try:
        fd, _ = open_regular(name, os.O_RDONLY, dir_fd=dfd, single_link=True)
    except (OSError, StoreError):  # a link, a FIFO, a device, gone meanwhile, not ours to read
        return None
    try:
        st = os.fstat(fd)
        if st.st_size > MAX_FILE:
            return None
        if abs(now - st.st_mtime) > STALE_SECONDS:  # not rewritten for a while (or dated in the future by hand)
            return _STALE
        raw = os.read(fd, MAX_FILE + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE:
        return None
    doc = _parse(raw)
    if doc is None:
        return None
    age = now - st.st_mtime
    if doc["host"] == _HOST and doc["pid"] is not None and not _alive(doc["pid"]):
        return _STALE  # its process on this host is gone
    if st.st_uid == _uid():
        claimed = doc["user"].strip()
        user = _cut(visible(claimed), MAX_USER) if claimed else user_name(st.st_uid)
    else:
        user = user_name(st.st_uid)
    seen = utc_iso(st.st_mtime)
    since = doc["since"] if _ISO.fullmatch(doc["since"]) and doc["since"] <= seen else seen
    page = doc["page"] if doc["page"] in PAGES else ""
    return Here(
        user=user,
        session=session,
        since=since,
        seen=seen,
        review=visible(doc["review"]),
        page=page,
        item=visible(doc["item"]),
        leading=doc["leading"] and bool(doc["review"]),
        following=doc["following"],
        read_only=doc["read_only"],
        age=max(0.0, age),
    )


class Presence:
    """This session's presence on a data file, and the others'.

    ``announce(...)`` says where this session is (written at once); ``heartbeat()`` (the
    app's poll, every second) rewrites the last state every HEARTBEAT_SECONDS; ``others()``
    lists the other live sessions; ``leave()`` removes this session's file. ``read_only``
    is what this session announces unless ``announce`` is told otherwise (the app sets it
    from the workspace). ``clock`` gives the time (the tests move it on)."""

    def __init__(
        self,
        data_path: Path | str,
        user: str,
        *,
        session: str | None = None,
        read_only: bool = False,
        clock: Callable[[], float] = time.time,
    ):
        if session is not None and not _SESSION.fullmatch(session):
            raise ValueError(f"a session id is 1 to 64 letters, digits, '-' or '_', not {visible(session)!r}")
        self.data_path = Path(data_path)
        self.user = user
        self.session = session or new_session()
        self.read_only = read_only
        self.clock = clock
        self.since = utc_iso(clock())
        self.state: dict[str, Any] = {"review": "", "page": "", "item": "", "leading": False, "following": True}
        self.problem = ""  # why this session cannot announce itself ('' when it can): the others do not see it
        self.read_problem = ""  # why the folder cannot be read ('' when it can)
        self.skipped = 0  # files of the folder that were not sessions, at the last look
        self.left = False
        self._written_at: float | None = None
        self._cleaned = False

    @property
    def directory(self) -> Path:
        return presence_dir(self.data_path)

    @property
    def file_name(self) -> str:
        return f"{self.session}.json"

    # ------------------------------------------------------------------ saying where we are

    def announce(
        self,
        *,
        review: str = "",
        page: str = "",
        item: str = "",
        leading: bool = False,
        following: bool = True,
        read_only: bool | None = None,
    ) -> None:
        """Write this session's file now: where it is (in a review, which page and item,
        leading or following) and whether it is read-only (None: as ``self.read_only``)."""
        if read_only is not None:
            self.read_only = read_only
        self.state = {"review": review, "page": page, "item": item, "leading": leading, "following": following}
        self.left = False
        self._write()

    def heartbeat(self, *, read_only: bool | None = None) -> None:
        """Rewrite this session's file with its last state when HEARTBEAT_SECONDS have passed (or
        it was never written): the others see it is still here. ``read_only`` given and changed
        (the workspace found it may not write the file any more, or may again): written at once."""
        if self.left:
            return
        changed = read_only is not None and read_only != self.read_only
        if changed:
            self.read_only = bool(read_only)
        if changed or self._written_at is None or self.clock() - self._written_at >= HEARTBEAT_SECONDS:
            self._write()

    def leave(self) -> None:
        """Remove this session's file (the app quits). Only a regular file of this user is removed."""
        self.left = True
        self._written_at = None
        try:
            dfd = _open_dir(self.directory)
        except StoreError:
            return
        if dfd is None:
            return
        try:
            st = os.stat(self.file_name, dir_fd=dfd, follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_uid == _uid():
                os.unlink(self.file_name, dir_fd=dfd)
        except OSError:
            pass
        finally:
            os.close(dfd)

    def _payload(self) -> bytes:
        s = self.state
        doc = {
            "user": _cut(str(self.user), MAX_USER),
            "session": self.session,
            "pid": os.getpid(),
            "host": _HOST,
            "since": self.since,
            "review": _cut(str(s["review"]), MAX_REVIEW),
            "page": s["page"] if s["page"] in PAGES else "",
            "item": _cut(str(s["item"]), MAX_ITEM),
            "leading": bool(s["leading"]),
            "following": bool(s["following"]),
            "read_only": bool(self.read_only),
        }
        return json.dumps(doc, ensure_ascii=True).encode("ascii")

    def _modes(self) -> tuple[int, int, int]:
        """(file mode, folder mode, group) like the data file's: the group may read, only we write."""
        try:
            st = os.stat(self.data_path, follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                raise FileNotFoundError
            mode, gid = stat.S_IMODE(st.st_mode), st.st_gid
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode, gid = 0o666 & ~umask, -1
        try:
            folder = stat.S_IMODE(os.stat(self.data_path.parent).st_mode) | 0o700
        except OSError:
            folder = 0o700
        return (mode & 0o644) | 0o600, folder, gid

    def _dir_for_writing(self, folder_mode: int, gid: int) -> int:
        directory = self.directory
        for _attempt in range(3):
            dfd = _open_dir(directory)
            if dfd is not None:
                return dfd
            try:
                os.mkdir(directory, 0o700)
            except FileExistsError:
                continue
            except OSError as exc:
                raise StoreError(directory, f"cannot be made ({exc.strerror})") from None
            dfd = _open_dir(directory)
            if dfd is None:
                continue
            try:  # our own new folder: shared like the data file's directory, in its group
                os.fchmod(dfd, folder_mode)
                if gid != -1:
                    os.fchown(dfd, -1, gid)
            except OSError:
                pass
            return dfd
        raise StoreError(directory, "keeps changing while it is opened")

    def _write(self) -> None:
        self._written_at = now = self.clock()
        mode, folder_mode, gid = self._modes()
        try:
            dfd = self._dir_for_writing(folder_mode, gid)
        except StoreError as exc:
            self.problem = f"{visible(exc.path)}: {exc.message}; your teammates do not see that you are here"
            return
        tmp = f".{self.session}.{secrets.token_hex(4)}.tmp"
        try:
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dfd)
            except OSError as exc:
                why = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else exc.strerror
                self.problem = (
                    f"{visible(self.directory)}: cannot be written ({why}): your teammates do not see that you are here"
                )
                return
            try:
                try:
                    os.fchmod(fd, mode)
                    if gid != -1:
                        os.fchown(fd, -1, gid)
                except OSError:
                    pass
                os.write(fd, self._payload())
                os.utime(fd, (now, now))  # the heartbeat's time: the clock's
            finally:
                os.close(fd)
            os.rename(tmp, self.file_name, src_dir_fd=dfd, dst_dir_fd=dfd)
            self.problem = ""
        except OSError as exc:
            try:
                os.unlink(tmp, dir_fd=dfd)
            except OSError:
                pass
            self.problem = (
                f"{visible(self.directory)}: cannot be written ({exc.strerror}): your teammates do not see you"
            )
        else:
            if not self._cleaned:
                self._cleaned = True
                self._remove_own_ended(dfd)
        finally:
            os.close(dfd)

    def _remove_own_ended(self, dfd: int) -> None:
        """Remove this user's own session files that ended long ago (a crash leaves one)."""
        now = time.time()
        try:
            with os.scandir(dfd) as it:
                names = [e.name for _i, e in zip(range(MAX_ENTRIES), it, strict=False)]
        except OSError:
            return
        for name in names:
            if not _NAME.fullmatch(name) or name == self.file_name:
                continue
            try:
                st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and st.st_uid == _uid() and now - st.st_mtime > REMOVE_OWN_AFTER:
                    os.unlink(name, dir_fd=dfd)
            except OSError:
                pass

    # ------------------------------------------------------------------ who else is here

    def sessions(self) -> list[Here]:
        """Every live session on the data file, this one included (by start)."""
        seen = read_sessions(self.data_path, now=self.clock())
        self.skipped, self.read_problem = seen.skipped, seen.problem
        return seen.sessions

    def others(self) -> list[Here]:
        """The other live sessions on the data file (by start); stale ones are left out."""
        return [h for h in self.sessions() if h.session != self.session]

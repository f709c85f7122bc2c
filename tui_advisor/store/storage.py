"""The data file as a TinyDB storage, and the middleware of one transaction.

TinyDB reaches its data through a *storage* (``read()`` gives every table,
``write(tables)`` stores them) and lets *middleware* wrap one
(``tinydb.middlewares``). The store opens each transaction as::

    TinyDB(storage=OneWrite(lambda: data_file))

* :class:`DataFile`, the storage (one per Store): the file is read whole without
  following a link or blocking on a FIFO (``files.read_regular``), decoded strictly and
  fast (``files.parse_json``: msgspec, duplicate keys refused) and its layout checked;
  it is written atomically (``files.write_json_atomic``: a new temporary file, fsync,
  rename, the data file's mode and group), only under the writers' lock on the file's
  directory (``files.exclusive_lock``, which Store.transaction holds around the whole
  TinyDB session; readers need none). It holds on to the tables it last read or
  wrote, with the file's *change token*; while the file on disk still has that token,
  ``read()`` gives them back without reading the file again, so a save into a file
  nobody else changed since parses nothing. Any writer, a teammate's tui-advisor or an
  editor, gives the file a new token: every write renames a new file in (a new inode),
  and a change in place moves the modification and status-change times (the status
  change time cannot be set back).
* :class:`OneWrite`, the middleware (one per transaction): TinyDB's CachingMiddleware
  that writes only when told to. Every change of a transaction stays in memory;
  :meth:`OneWrite.commit` stamps the transaction's revision in the ``_meta`` table and
  writes once.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from .. import model
from . import files
from .files import StoreError

STORE_FORMAT = "tui-advisor/store"
STORE_VERSION = 1
MAX_REVISION = 2**53  # revisions count writes; a larger one was not written by this program

Tables = dict[str, dict[str, Any]]  # TinyDB's data: table name -> document id (text) -> document
ChangeToken = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


def token_of(st: os.stat_result) -> ChangeToken:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_token(path: Path) -> ChangeToken | None:
    """The change token of the file at ``path`` (a link is not followed), None when there is none."""
    try:
        return token_of(os.stat(path, follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return None


def header(revision: int) -> dict[str, Any]:
    """The ``_meta`` table's one document."""
    return {"format": STORE_FORMAT, "version": STORE_VERSION, "revision": revision}


def revision_of(tables: Tables | None) -> int:
    if not tables:
        return 0
    return int(next(iter(tables["_meta"].values())).get("revision", 0))


def check_store_layout(path: Path, raw: Any) -> None:
    """Refuse files that are not ours, or from a newer version, before touching them."""
    if not isinstance(raw, dict):
        raise StoreError(path, "is JSON but not a tui-advisor data file (expected an object of tables)", damaged=True)
    if raw.get("format") == model.FORMAT:
        raise StoreError(
            path,
            "is an interchange file, not a data file: load it with "
            f"`tui-advisor import {path}` or read it with `tui-advisor advise --input {path}`",
        )
    meta_table = raw.get("_meta")
    meta = None
    if isinstance(meta_table, dict) and meta_table:
        meta = next(iter(meta_table.values()))
    if not isinstance(meta, dict) or meta.get("format") != STORE_FORMAT:
        raise StoreError(
            path, "is JSON but not a tui-advisor data file (no tui-advisor header); it was not changed", damaged=True
        )
    version = meta.get("version")
    if type(version) is not int or version > STORE_VERSION:
        raise StoreError(
            path,
            f"was written by a newer tui-advisor (data format version {version}, "
            f"this program reads {STORE_VERSION}); upgrade tui-advisor. The file was not changed",
            damaged=True,
        )
    revision = meta.get("revision", 0)
    if type(revision) is not int or not 0 <= revision <= MAX_REVISION:
        raise StoreError(
            path,
            f"its revision number is damaged ({_short(revision)}; expected a whole number "
            f"from 0 to {MAX_REVISION:,}): was it edited by hand? Restore a backup, or set "
            '"revision" in the "_meta" table to a whole number',
            damaged=True,
        )
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise StoreError(path, f"table {name!r} is damaged (not an object)", damaged=True)
        for doc_id, doc in table.items():
            if type(doc) is not dict:
                raise StoreError(
                    path, f"table {name!r} is damaged (its document {_short(doc_id)} is not an object)", damaged=True
                )


def _short(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    text = json.dumps(value) if not isinstance(value, float) or value == value else "NaN"
    return text if len(text) <= 30 else text[:27] + "..."


class DataFile(Storage):
    """TinyDB's storage for the data file (see the module's docstring).

    ``read()`` *hands over* the tables: whoever reads them may change them in place (a
    transaction does), so the tables held are given to one reader only, and the next
    reads the file again until they are given back: :meth:`write` holds what it wrote,
    :meth:`hold` takes back tables read and left as they were. Safe to share between
    threads (the app saves in one thread and reads the file again in another).
    """

    def __init__(self, path: Path):
        self.path = path
        self._held: Tables | None = None
        self._held_token: ChangeToken | None = None
        self._lock = threading.Lock()

    def token(self) -> ChangeToken | None:
        return file_token(self.path)

    def read(self) -> Tables | None:
        return self.read_with_token()[0]

    def read_with_token(self) -> tuple[Tables | None, ChangeToken | None]:
        """The tables and their token: the ones held when the file still has that token, else
        read from the file ((None, None) when there is none). A damaged or foreign file
        raises StoreError."""
        with self._lock:
            held, token = self._held, self._held_token
            self._held = self._held_token = None
        if held is not None and token == self.token():
            return held, token
        del held
        found = files.read_json_stat(self.path)
        if found is None:
            return None, None
        tables, st = found
        check_store_layout(self.path, tables)
        return tables, token_of(st)

    def hold(self, tables: Tables, token: ChangeToken | None) -> None:
        """Take back tables handed over by :meth:`read_with_token` and left as they were (unless
        newer ones are held already)."""
        with self._lock:
            if self._held is None and token is not None:
                self._held, self._held_token = tables, token

    def forget(self) -> None:
        with self._lock:
            self._held = self._held_token = None

    def write(self, data: Tables) -> None:
        """Replace the file with ``data`` (atomically, see files.write_bytes_atomic) and hold it,
        with the token of the file written (a file someone renamed over it since has another)."""
        self.forget()
        token = token_of(files.write_json_atomic(self.path, data))
        with self._lock:
            self._held, self._held_token = data, token

    def close(self) -> None:
        pass


class OneWrite(CachingMiddleware):
    """TinyDB's caching middleware for one transaction: the tables are read once, every change
    stays in memory, and :meth:`commit` writes them once, stamped with the new revision."""

    WRITE_CACHE_SIZE = sys.maxsize  # never on its own: commit() writes

    def __init__(self, storage_cls: Callable[[], Storage]):
        super().__init__(storage_cls)

    def read(self) -> Tables:
        if self.cache is None:
            # no file yet: the tables of an empty data file, at revision 0
            self.cache = self.storage.read() or {"_meta": {"1": header(0)}}
        return self.cache

    @property
    def revision(self) -> int:
        """The revision of the file as read."""
        return revision_of(self.read())

    def commit(self, revision: int) -> None:
        """Stamp ``revision`` in the ``_meta`` table and write every change, once."""
        tables = self.read()
        tables["_meta"] = {"1": header(revision)}
        self.storage.write(tables)
        self._cache_modified_count = 0

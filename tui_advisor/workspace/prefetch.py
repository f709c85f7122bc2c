"""Read a large data file in a child process while the app imports its user interface.

Opening a large data file costs its JSON, its validation and its advice (about 150 ms
for 25,000 records), and importing Textual costs another ~115 ms; on a machine with
two cores they can overlap. :func:`start` forks a child that reads the file exactly
as :meth:`Workspace.fetch` does and sends the result back through a pipe (the records
as columns, which pickle several times faster than the records themselves); the
parent goes on importing, then :meth:`Prefetch.result` rebuilds the snapshot.

Only for files of at least ``LARGE`` bytes (a small file reads faster than a fork
pays back), where ``os.fork`` exists, and before any thread is started. Whatever
goes wrong on the way (the fork, the child, a short read) raises :class:`Unavailable`
and the caller reads the file itself; a problem with the file itself is the same
:class:`StoreError` a direct read raises.
"""

from __future__ import annotations

import os
import pickle
from typing import TYPE_CHECKING, Any

from .. import model
from ..store import MetaIndex, Snapshot, StoreError

if TYPE_CHECKING:
    from ..engine.advise import Advice
    from .workspace import Workspace

LARGE = 1_000_000  # bytes


class Unavailable(Exception):
    """The child's result did not arrive: read the file in this process instead."""


class Prefetch:
    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self.fd = fd

    def result(self) -> tuple[Snapshot, Advice, float]:
        """The snapshot, its advice and the seconds the advice took (waits for the child)."""
        try:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            raise Unavailable(f"the reading process ended with status {status}")
        payload = pickle.loads(data)
        if payload[0] == "error":
            _, path, message, damaged = payload
            raise StoreError(path, message, damaged=damaged)
        _, snap, advice, seconds = payload
        return _decode(snap), advice, seconds


def start(workspace: Workspace, threshold: int = LARGE) -> Prefetch | None:
    """Fork a child reading ``workspace``'s file; None when the file is small or fork is missing."""
    try:
        size = workspace.store.path.stat().st_size
    except OSError:
        return None
    if size < threshold or not hasattr(os, "fork"):
        return None
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: never returns
        _child(workspace, r, w)
    os.close(w)
    return Prefetch(pid, r)


def _child(workspace: Workspace, r: int, w: int) -> None:
    code = 1
    try:
        os.close(r)
        try:
            snap, advice = workspace.fetch()
            payload: tuple[Any, ...] = ("ok", _encode(snap), advice, workspace.recompute_seconds)
        except StoreError as exc:
            payload = ("error", str(exc.path), exc.message, exc.damaged)
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(w, "wb") as fh:
            fh.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent reads the file itself
        pass
    finally:
        os._exit(code)  # no atexit handlers, no clean-up of the parent's temporary files


def _encode(snap: Snapshot) -> dict[str, Any]:
    data = snap.data
    columns: dict[str, list[list[Any]]] = {}
    # one object per distinct date, author and time: pickle sends each once (a big file's fast decode
    # makes a date per record; the metas repeat a few names and times)
    same: dict[Any, Any] = {}
    for kind in model.COLLECTIONS:
        records = getattr(data, kind)
        columns[kind] = cols = []
        if not records:
            continue
        dated = {f.name for f in model.KINDS[kind].fields if f.type == "date"}
        for name in model.RECORD_TYPES[kind].__dataclass_fields__:  # type: ignore[attr-defined]
            col = [getattr(r, name) for r in records]
            cols.append(list(map(same.setdefault, col, col)) if name in dated else col)
    metas: dict[str, tuple[list[Any], list[Any], list[Any]]] = {}
    for kind, ms in snap.meta.aligned_metas().items():
        ms = [m if type(m) is dict else {} for m in ms]
        metas[kind] = (
            [m.get("rev", 0) for m in ms],
            [same.setdefault(m.get("by", ""), m.get("by", "")) for m in ms],
            [same.setdefault(m.get("at", ""), m.get("at", "")) for m in ms],
        )
    return {
        "agency": data.agency,
        "settings": data.settings,
        "columns": columns,
        "metas": metas,
        "revision": snap.revision,
        "token": snap.token,
    }


def _decode(enc: dict[str, Any]) -> Snapshot:
    data = model.AgencyData()
    data.agency = enc["agency"]
    data.settings = enc["settings"]
    sources = []
    for kind in model.COLLECTIONS:
        columns = enc["columns"][kind]
        records = list(map(model.RECORD_TYPES[kind], *columns)) if columns else []
        setattr(data, kind, records)
        revs, bys, ats = enc["metas"].get(kind, ([], [], []))
        sources.append((kind, list(records), list(zip(revs, bys, ats))))
    return Snapshot(data, enc["revision"], MetaIndex(sources), enc["token"])

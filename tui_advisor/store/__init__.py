"""The data file: the only code that opens it (see store.py for the layout)."""

from .files import LockTimeout, StoreError
from .storage import ChangeToken
from .store import Conflict, ImportResult, MetaIndex, RecordMeta, Snapshot, Stale, Store, ago, key_of, no_gc

__all__ = [
    "ChangeToken",
    "Conflict",
    "ImportResult",
    "MetaIndex",
    "LockTimeout",
    "RecordMeta",
    "Snapshot",
    "Stale",
    "Store",
    "StoreError",
    "ago",
    "key_of",
    "no_gc",
]

"""The data file: the only code that opens it (see store.py for the layout)."""

from .files import LockTimeout, StoreError
from .store import ImportResult, Store

__all__ = ["ImportResult", "LockTimeout", "Store", "StoreError"]

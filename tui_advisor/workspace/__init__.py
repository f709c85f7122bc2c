"""The workspace: an agency opened for work, the one layer between the front ends and the core.

Called the workspace because that is what a user has open: one agency's data file
(read, changed, shared with teammates), the rulebook it is judged by, and the advice
that follows from both. The app works on a :class:`Workspace`; the command line's
one-shot commands use the same layer for the same things (a rulebook loaded, an input
file read, the advice computed). Front ends never open files or run rules themselves.

- ``workspace.py``: :class:`Workspace` (the data, the advice, every change as a
  two-step :class:`Write`) and its errors;
- ``rulebook.py``: :class:`Rulebook` (the config and the rules), ``load_rulebook``;
- ``inputs.py``: an interchange file read and validated (``read_document``,
  ``load_input``, :class:`InputError`);
- ``prefetch.py``: a large data file read in a child process while the app starts.

The user interface imports what it needs of the data from here only (never the store:
``lint-imports`` checks it), so the store's errors and record metadata are re-exported.
Headless: nothing here imports Textual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .inputs import InputError, load_input, read_document
from .rulebook import Rulebook, load_rulebook, read_config

if TYPE_CHECKING:
    from ..store import Conflict, LockTimeout, RecordMeta, StoreError, ago
    from .workspace import AdviceError, ReadOnly, Workspace, Write, describe_error

# Imported when first asked for, not with the package: a one-shot command on a file
# (advise --input) imports neither the store nor TinyDB (about 15 ms of its start).
_LATER = {
    **dict.fromkeys(("Conflict", "LockTimeout", "RecordMeta", "StoreError", "ago"), "..store"),
    **dict.fromkeys(("AdviceError", "ReadOnly", "Workspace", "Write", "describe_error"), ".workspace"),
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AdviceError",
    "Conflict",
    "InputError",
    "LockTimeout",
    "ReadOnly",
    "RecordMeta",
    "Rulebook",
    "StoreError",
    "Workspace",
    "Write",
    "ago",
    "describe_error",
    "load_input",
    "load_rulebook",
    "read_config",
    "read_document",
]

"""Importing invoices from an accounting system's CSV export (headless: no Textual).

- ``profiles.py``: :class:`Profile` (how one system writes its export: a TOML file),
  ``builtin_profiles()`` (``profiles/*.toml``: Moneybird, Exact Online, e-Boekhouden, Xero,
  QuickBooks Online, FreshBooks), ``load_profile(name_or_path)``, :class:`ProfileError`;
- ``reader.py``: the file's bytes, text and rows (the csv module), ``preview()``;
- ``plan.py``: ``plan_import(path, profile, data, as_of)`` -> :class:`ImportPlan` (new,
  updated, unchanged and rejected rows, new clients), and ``apply_plan(store, plan)``, the
  one write (locked, audited, atomic, planned again under the lock) that the command line
  and the app (through ``Workspace.plan_import_csv``) both use.

An invoice's id is its number in the source system: importing the same or an overlapping
export again adds nothing. Numbers are read strictly in the profile's decimal mark, dates
by its date format; a bad row is rejected with its line, column, value and what was expected.
An invoice's amount is before tax where the file says it (a ``net`` column, else the total minus
a ``tax`` column); else the total as it is, and ``ImportPlan.amounts`` warns that it may hold VAT.
"""

from .plan import (
    Change,
    ImportPlan,
    ParsedFile,
    Rejection,
    Row,
    RowsRejected,
    apply_plan,
    norm_name,
    plan_import,
    plan_rows,
    read_rows,
)
from .profiles import (
    FIELD_HELP,
    FIELDS,
    REQUIRED,
    Profile,
    ProfileError,
    builtin_profiles,
    describe_profile,
    load_profile,
    parse_profile,
)
from .reader import CsvFileError, Preview, detect_decimal, detect_delimiter, match_columns, preview

__all__ = [
    "FIELDS",
    "FIELD_HELP",
    "REQUIRED",
    "Change",
    "CsvFileError",
    "ImportPlan",
    "ParsedFile",
    "Preview",
    "Profile",
    "ProfileError",
    "Rejection",
    "Row",
    "RowsRejected",
    "apply_plan",
    "builtin_profiles",
    "describe_profile",
    "detect_decimal",
    "detect_delimiter",
    "load_profile",
    "match_columns",
    "norm_name",
    "parse_profile",
    "plan_import",
    "plan_rows",
    "preview",
    "read_rows",
]

"""The agency domain model: records, the kinds of record, their validation and problems.

- records.py: plain, typed records (dataclasses with slots), one class per kind;
- kinds.py: one definition per kind of record (``KINDS["clients"]``): fields, types,
  bounds, labels, help, key, references, ids, naming and domain rules;
- checks.py: the bounds of the data and the checkers of its values;
- validate.py: the strict, complete validator of an interchange document, the domain
  checks of one record and the canonical export, all read from the kinds;
- problems.py: structured problems (``Problem``), ``ValidationError``, and the one
  suggestion function (``suggest``);
- schema.py: the JSON Schema of the format, generated from the kinds.

Everything is importable from ``tui_advisor.model``.
"""

from .checks import _DATE_CACHE as _DATE_CACHE
from .checks import (
    MAX_DATE,
    MAX_MAGNITUDE,
    MIN_DATE,
    NUMBER_RANGE,
    Checker,
    check_bool,
    check_date,
    check_end_date,
    check_money,
    check_nonempty_str,
    check_nonneg_int,
    check_number,
    check_score,
    check_str,
    check_until_date,
    nullable,
    one_of,
    out_of_range,
    parse_iso_date,
)
from .kinds import (
    BILLING,
    COLLECTIONS,
    ENGAGEMENT_KINDS,
    INQUIRY_STATUSES,
    JOURNEY_STAGES,
    KINDS,
    OPEN_STATUSES,
    PROFILE,
    SCORE_HELP,
    SEVERITIES,
    STEP,
    Field,
    Kind,
    NeededWhen,
    NotBefore,
    known_ids,
    new_id,
    slug,
)
from .problems import Problem, ValidationError, did_you_mean, hint, suggest, suggestions
from .records import (
    ActionItem,
    Agency,
    AgencyData,
    CashEntry,
    Client,
    Dismissal,
    Engagement,
    Inquiry,
    Invoice,
    JourneyActivity,
    Settings,
    Step,
)
from .validate import (
    AGENCY_FIELDS,
    FORMAT,
    RECORD_TYPES,
    SPECS,
    STEP_FIELDS,
    TOP_LEVEL_KEYS,
    VERSION,
    FieldSpec,
    _check_consistency,
    agency_to_json,
    build,
    change_problems,
    from_document,
    record_key,
    record_problems,
    record_to_json,
    referrers,
    settings_to_json,
    to_document,
    validate_document,
)

__all__ = [
    "AGENCY_FIELDS", "BILLING", "COLLECTIONS", "ENGAGEMENT_KINDS", "FORMAT", "INQUIRY_STATUSES", "JOURNEY_STAGES",
    "KINDS", "MAX_DATE", "MAX_MAGNITUDE", "MIN_DATE", "NUMBER_RANGE", "OPEN_STATUSES", "PROFILE", "RECORD_TYPES",
    "SCORE_HELP", "SEVERITIES", "SPECS", "STEP", "STEP_FIELDS", "TOP_LEVEL_KEYS", "VERSION", "ActionItem", "Agency",
    "AgencyData", "CashEntry", "Checker", "Client", "Dismissal", "Engagement", "Field", "FieldSpec", "Inquiry",
    "Invoice", "JourneyActivity", "Kind", "NeededWhen", "NotBefore", "Problem", "Settings", "Step",
    "ValidationError", "_check_consistency", "agency_to_json", "build", "change_problems", "check_bool", "check_date",
    "check_end_date", "check_money", "check_nonempty_str", "check_nonneg_int", "check_number", "check_score",
    "check_str", "check_until_date", "did_you_mean", "from_document", "hint", "known_ids", "new_id", "nullable",
    "one_of", "out_of_range", "parse_iso_date", "record_key", "record_problems", "record_to_json", "referrers",
    "settings_to_json", "slug", "suggest", "suggestions", "to_document", "validate_document",
]

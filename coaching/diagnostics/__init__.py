"""Why a client's networking search has stalled: a pure engine over a snapshot of records.

``diagnose(snapshot=..., as_of=..., thresholds=...)`` is the entry point; ``catalog`` holds the
failure codes (a public contract), ``snapshot`` the records the ORM loader fills in.
"""

from coaching.diagnostics.catalog import CATALOG, FailureCode
from coaching.diagnostics.engine import Diagnosis, diagnose, run_rule
from coaching.diagnostics.serialize import diagnosis_to_dict, diagnosis_to_json
from coaching.diagnostics.thresholds import Thresholds, resolve_thresholds, validate_thresholds

__all__ = [
    "CATALOG",
    "Diagnosis",
    "FailureCode",
    "Thresholds",
    "diagnose",
    "diagnosis_to_dict",
    "diagnosis_to_json",
    "resolve_thresholds",
    "run_rule",
    "validate_thresholds",
]

"""Writes of the lapor adapter: imports of report files and the rows they record."""

from .imports import import_check, import_confirm, import_map, import_run_batch, import_upload
from .records import report_import

__all__ = [
    "import_check",
    "import_confirm",
    "import_map",
    "import_run_batch",
    "import_upload",
    "report_import",
]

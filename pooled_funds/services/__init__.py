"""Writes for pooled funds: returns (entry, upload, workflow), the return's paper on
the board's next agenda, decisions on money, reminders. Every state change is here,
under ``transaction.atomic``; views and the API only call these.

Return workflow (``TRANSITIONS``): draft -> submitted -> approved (locked) or
returned (with reasons) -> submitted again. Only drafts and returned returns can be
changed.
"""

from .decisions import (
    _redistribute,
    fund_decision_record,
)
from .import_jobs import (
    ASYNC_CSV_LINES,
    ASYNC_XLSX_BYTES,
    _start_job,
    import_is_large,
    import_job_run,
    import_jobs_sweep,
    return_import_queue,
)
from .reminders import (
    DUE_REMINDER_DAYS,
    _remind,
    metric_actuals_record,
    returns_send_reminders,
)
from .returns import (
    BULK_BATCH,
    LINE_FIELDS,
    TRANSITIONS,
    ReturnRejected,
    _return_save,
    _set_status,
    fund_board,
    return_approve,
    return_enter,
    return_import,
    return_place_paper,
    return_send_back,
    return_submit,
    returns_place_pending_papers,
    scheme_infos,
)

__all__ = [
    "TRANSITIONS",
    "LINE_FIELDS",
    "BULK_BATCH",
    "ReturnRejected",
    "_set_status",
    "fund_board",
    "scheme_infos",
    "return_enter",
    "return_import",
    "_return_save",
    "return_submit",
    "return_approve",
    "return_send_back",
    "return_place_paper",
    "returns_place_pending_papers",
    "fund_decision_record",
    "_redistribute",
    "DUE_REMINDER_DAYS",
    "returns_send_reminders",
    "_remind",
    "metric_actuals_record",
    "ASYNC_CSV_LINES",
    "ASYNC_XLSX_BYTES",
    "import_is_large",
    "return_import_queue",
    "_start_job",
    "import_job_run",
    "import_jobs_sweep",
]

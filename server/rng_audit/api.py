"""The RNG audit on the operator API, for the ``auditor`` role (and operators):

- ``GET /api/rng-audit/months``: the months with stored deals, per variant;
- ``GET /api/rng-audit/months/{YYYY-MM}``: the month's report (the JSON the CLI writes,
  ``croupier rng-audit report``), computed on request from the stored decks: read on the
  database pool, computed in a worker thread, never on the reactor;
- ``GET /api/rng-audit/months/{YYYY-MM}.html``: the same report as the CLI's HTML page.

A month's report is kept while nothing new is stored for it (same deals, same hand ends):
the page after the JSON, or a second auditor, does not recompute a 10^7-deal month.

Earlier months' p-values (for the KS check across months) come from the reports computed
before in this process; the CLI reads them from its output directory instead.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from twisted.internet import threads

from server.db.pool import Database
from server.rng_audit.store import month_decks
from server.operator_api import Page
from server.rng_audit.tables import rng_audit_chunks, rng_audit_counters, rng_audit_ends

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ROLES = frozenset({"operator", "auditor"})


class RngAuditApi:
    def __init__(self, db: Database, alpha: float = 0.01) -> None:
        self.db = db
        self.alpha = alpha
        self._p_values: dict[str, dict[str, float]] = {}
        self._reports: dict[str, tuple[tuple[int, int], Any]] = {}  # month -> (what was stored, report)

    def routes(self) -> list[tuple[bytes, str, frozenset[str], Any]]:
        return [(b"GET", r"^/api/rng-audit/months$", ROLES, self.months),
                (b"GET", r"^/api/rng-audit/months/(?P<month>[0-9-]{1,16})$", ROLES, self.report),
                (b"GET", r"^/api/rng-audit/months/(?P<month>[0-9-]{1,16})\.html$", ROLES, self.page)]

    async def months(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        rows = await self.db.transaction(lambda c: c.execute(select(
            rng_audit_counters.c.month, rng_audit_counters.c.variant, rng_audit_counters.c.deals)
            .order_by(rng_audit_counters.c.month, rng_audit_counters.c.variant)).all())
        months: dict[str, dict[str, int]] = {}
        for row in rows:
            months.setdefault(row.month, {})[row.variant] = int(row.deals)
        return 200, {"months": [{"month": m, "deals": sum(v.values()), "variants": v} for m, v in months.items()]}

    async def report(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        status, report = await self._month_report(match["month"])
        return status, report.json if status == 200 else report

    async def page(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        status, report = await self._month_report(match["month"])
        return status, Page("text/html; charset=utf-8", report.html.encode("utf-8")) if status == 200 else report

    async def _month_report(self, month: str) -> tuple[int, Any]:
        if not MONTH.match(month):
            return 400, {"error": "invalid_month", "message": "month: YYYY-MM"}
        stored_now = await self.db.transaction(lambda c: _stored(c, month))
        cached = self._reports.get(month)
        if cached is not None and cached[0] == stored_now:
            return 200, cached[1]
        stored = await self.db.transaction(lambda c: month_decks(c, month))
        if len(stored.decks) < 2:
            return 404, {"error": "no_deals", "message": f"fewer than two deals stored for {month}"}
        # Imported here: the statistics (scipy) cost a second and a half at every server start.
        from frontal.rng_audit.report import month_p_values, month_report

        previous = {m: p for m, p in self._p_values.items() if m < month}
        report = await threads.deferToThread(month_report, stored.decks, month, stored.variants, self.alpha,
                                             previous, stored.layouts())
        self._p_values[month] = month_p_values(report.json)
        self._reports[month] = (stored_now, report)
        return 200, report


def _stored(c: Connection, month: str) -> tuple[int, int]:
    """(deals, hand ends) stored for the month: a report of the same two numbers is the same."""
    deals = c.execute(select(func.coalesce(func.sum(rng_audit_chunks.c.count), 0))
                      .where(rng_audit_chunks.c.month == month)).scalar_one()
    ends = c.execute(select(func.coalesce(func.sum(rng_audit_ends.c.count), 0))
                     .where(rng_audit_ends.c.month == month)).scalar_one()
    return int(deals), int(ends)

"""The RNG audit on the operator API, for the ``auditor`` role (and operators):

- ``GET /api/rng-audit/months``: the months with stored deals, per variant;
- ``GET /api/rng-audit/months/{YYYY-MM}``: the month's report (the JSON the CLI writes,
  ``croupier rng-audit report``), computed on request from the stored decks: read on the
  database pool, computed in a worker thread, never on the reactor.

Earlier months' p-values (for the KS check across months) come from the reports computed
before in this process; the CLI reads them from its output directory instead.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from twisted.internet import threads

from server.db.pool import Database
from server.rng_audit.store import month_decks
from server.rng_audit.tables import rng_audit_counters

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ROLES = frozenset({"operator", "auditor"})


class RngAuditApi:
    def __init__(self, db: Database, alpha: float = 0.01) -> None:
        self.db = db
        self.alpha = alpha
        self._p_values: dict[str, dict[str, float]] = {}

    def routes(self) -> list[tuple[bytes, str, frozenset[str], Any]]:
        return [(b"GET", r"^/api/rng-audit/months$", ROLES, self.months),
                (b"GET", r"^/api/rng-audit/months/(?P<month>[0-9-]{1,16})$", ROLES, self.report)]

    async def months(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        rows = await self.db.transaction(lambda c: c.execute(select(
            rng_audit_counters.c.month, rng_audit_counters.c.variant, rng_audit_counters.c.deals)
            .order_by(rng_audit_counters.c.month, rng_audit_counters.c.variant)).all())
        months: dict[str, dict[str, int]] = {}
        for row in rows:
            months.setdefault(row.month, {})[row.variant] = int(row.deals)
        return 200, {"months": [{"month": m, "deals": sum(v.values()), "variants": v} for m, v in months.items()]}

    async def report(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        month = match["month"]
        if not MONTH.match(month):
            return 400, {"error": "invalid_month", "message": "month: YYYY-MM"}
        stored = await self.db.transaction(lambda c: month_decks(c, month))
        if len(stored.decks) < 2:
            return 404, {"error": "no_deals", "message": f"fewer than two deals stored for {month}"}
        # Imported here: the statistics (scipy) cost a second and a half at every server start.
        from frontal.rng_audit.report import month_p_values, month_report

        previous = {m: p for m, p in self._p_values.items() if m < month}
        report = await threads.deferToThread(month_report, stored.decks, month, stored.variants, self.alpha,
                                             previous, stored.layouts())
        self._p_values[month] = month_p_values(report.json)
        return 200, report.json

"""Refuse any SQL statement issued from the reactor thread once the server is serving.

A blocking database call on the reactor thread stalls every player at once; this turns
such a bug into an immediate, logged error instead of a latency mystery in production.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


class ReactorThreadViolation(RuntimeError):
    pass


class ReactorThreadGuard:
    def __init__(self) -> None:
        self.reactor_thread: int | None = None
        self.violations = 0

    def arm(self, engine: Engine) -> None:
        """Call from the reactor thread, after start-up work and before serving."""
        self.reactor_thread = threading.get_ident()
        event.listen(engine, "before_cursor_execute", self._check)

    def _check(self, conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if threading.get_ident() == self.reactor_thread:
            self.violations += 1
            raise ReactorThreadViolation(f"SQL on the reactor thread: {statement[:80]}")

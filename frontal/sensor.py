"""The sensor (capteur): traces are derived from what the player sends, never from the
platform alone (annex 1.1.3 and 3.1.1; SPEC-NOTES 3).

Croupier's sensor sits in the request-processing logic ("capteur intégré", 3.1.1, last
remark) rather than intercepting HTTP, so it sees each validated player message before
the platform acts on it:

- Player-initiated events: :meth:`Sensor.around` derives the trace from the request
  (DateEvt = when the request arrived), holds it in a bounded buffer, runs the
  platform's action, and then either deposits the trace in the vault (the action
  succeeded; the caller replies to the player only after the deposit is durable) or
  destroys it (the action failed; a line in the technical log, and the error goes to
  the player).
- Platform-initiated events: the platform applies its movement and pushes a notice;
  :meth:`Sensor.record_acknowledged` deposits the trace when the player's client
  acknowledges it, with DateEvt = the acknowledgement time. Deposits are idempotent on
  the notice, so an acknowledgement replayed after a crash cannot record twice.

The buffer is bounded per session and overall (annex 3.1.1: the sensor must protect its
buffer and the vault against saturation); past a bound the request is refused before the
platform acts, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Awaitable, Callable, Protocol, TypeVar

from lxml import etree
from twisted.internet.defer import Deferred
from twisted.logger import Logger

technical_log = Logger(namespace="frontal.technical")

T = TypeVar("T")

#: Builds the event for a DateEvt the sensor chooses; IDEvt is the vault's to assign.
TraceBuilder = Callable[[datetime], etree._Element]


class VaultDepositor(Protocol):
    def deposit(self, event: etree._Element, idempotency_key: str | None = None) -> "Deferred[int]":
        """Durably journal the event, fire with its IDEvt. Same key: same IDEvt, one record."""


class SensorSaturated(Exception):
    """Too many traces held: the request is refused before the platform acts on it."""

    def __init__(self, scope: str, limit: int) -> None:
        super().__init__(f"{scope} limit of {limit} held traces reached")
        self.scope = scope
        self.limit = limit


@dataclass(frozen=True)
class SensorLimits:
    held_per_session: int = 8
    held_total: int = 10_000


def utc_now_seconds() -> datetime:
    # DateEvt has a resolution of one second.
    return datetime.now(timezone.utc).replace(microsecond=0)


class Sensor:
    def __init__(
        self,
        vault: VaultDepositor,
        limits: SensorLimits = SensorLimits(),
        clock: Callable[[], datetime] = utc_now_seconds,
    ) -> None:
        self._vault = vault
        self._limits = limits
        self._clock = clock
        self._held_by_session: dict[str, int] = {}
        self._held_total = 0

    @property
    def held(self) -> int:
        return self._held_total

    def _hold(self, session_id: str) -> None:
        in_session = self._held_by_session.get(session_id, 0)
        if in_session >= self._limits.held_per_session:
            raise SensorSaturated("per-session", self._limits.held_per_session)
        if self._held_total >= self._limits.held_total:
            raise SensorSaturated("global", self._limits.held_total)
        self._held_by_session[session_id] = in_session + 1
        self._held_total += 1

    def _release(self, session_id: str) -> None:
        remaining = self._held_by_session[session_id] - 1
        if remaining:
            self._held_by_session[session_id] = remaining
        else:
            del self._held_by_session[session_id]
        self._held_total -= 1

    async def around(
        self,
        session_id: str,
        build: TraceBuilder,
        action: Callable[[], Awaitable[T]],
        idempotency_key: str | None = None,
    ) -> tuple[T, int]:
        """Capture the trace of a player's request, run the platform's action, then seal or destroy.

        Returns the action's result and the event's IDEvt, once the trace is durable. If
        the trace cannot be built (it fails its XSD), the action never runs.
        """
        self._hold(session_id)
        try:
            event = build(self._clock())
            try:
                result = await action()
            except Exception as exc:
                technical_log.info(
                    "platform refused {event}: {reason}; held trace destroyed",
                    event=event.tag,
                    reason=f"{exc.__class__.__name__}: {exc}",
                )
                raise
            id_evt = await self._vault.deposit(event, idempotency_key)
            return result, id_evt
        finally:
            self._release(session_id)

    async def record_acknowledged(self, build: TraceBuilder, acknowledged_at: datetime, idempotency_key: str) -> int:
        """A platform-initiated event the player acknowledged: DateEvt is the acknowledgement."""
        event = build(acknowledged_at.astimezone(timezone.utc).replace(microsecond=0))
        return await self._vault.deposit(event, idempotency_key)

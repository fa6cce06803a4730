"""The sensor's buffer discipline, with a recording vault (the vault has its own tests)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from lxml import etree
from twisted.internet.defer import Deferred, succeed

from frontal.sensor import Sensor, SensorLimits, SensorSaturated

T0 = datetime(2026, 11, 24, 10, 33, 20, tzinfo=timezone.utc)


class RecordingVault:
    def __init__(self) -> None:
        self.events: list[tuple[bytes, str | None]] = []
        self.keys: dict[str, int] = {}

    def deposit(self, event: etree._Element, idempotency_key: str | None = None) -> "Deferred[int]":
        if idempotency_key is not None and idempotency_key in self.keys:
            return succeed(self.keys[idempotency_key])
        self.events.append((etree.tostring(event), idempotency_key))
        if idempotency_key is not None:
            self.keys[idempotency_key] = len(self.events) - 1
        return succeed(len(self.events) - 1)


def build(date: datetime) -> etree._Element:
    event = etree.Element("OKCONDGENE")
    etree.SubElement(event, "DateEvt").text = date.strftime("%y%m%d%H%M%S")
    return event


def run(coro: Any) -> Any:
    """Drive a coroutine whose awaits all resolve synchronously."""
    d = Deferred.fromCoroutine(coro)
    results: list[Any] = []
    d.addBoth(results.append)
    assert results, "coroutine did not finish synchronously"
    if hasattr(results[0], "raiseException"):
        results[0].raiseException()
    return results[0]


def test_accepted_request_is_deposited_with_request_time() -> None:
    vault = RecordingVault()
    sensor = Sensor(vault, clock=lambda: T0)

    async def action() -> str:
        return "accepted"

    result, id_evt = run(sensor.around("s1", build, action))
    assert (result, id_evt) == ("accepted", 0)
    assert vault.events == [(b"<OKCONDGENE><DateEvt>261124103320</DateEvt></OKCONDGENE>", None)]
    assert sensor.held == 0


def test_refused_request_is_destroyed() -> None:
    vault = RecordingVault()
    sensor = Sensor(vault, clock=lambda: T0)

    async def action() -> None:
        raise ValueError("stake above ceiling")

    with pytest.raises(ValueError):
        run(sensor.around("s1", build, action))
    assert vault.events == []
    assert sensor.held == 0


def test_unbuildable_trace_stops_the_action() -> None:
    sensor = Sensor(RecordingVault(), clock=lambda: T0)
    ran: list[bool] = []

    def bad_build(date: datetime) -> etree._Element:
        raise ValueError("fails its XSD")

    async def action() -> None:
        ran.append(True)

    with pytest.raises(ValueError):
        run(sensor.around("s1", bad_build, action))
    assert ran == [] and sensor.held == 0


def test_buffer_limits_refuse_before_the_platform_acts() -> None:
    sensor = Sensor(RecordingVault(), SensorLimits(held_per_session=2, held_total=3), clock=lambda: T0)
    gates: list[Deferred[None]] = []
    ran: list[str] = []

    def gated(name: str) -> Any:
        async def action() -> None:
            ran.append(name)
            gate: Deferred[None] = Deferred()
            gates.append(gate)
            await gate

        return action

    pending = [Deferred.fromCoroutine(sensor.around("a", build, gated("a1"))),
               Deferred.fromCoroutine(sensor.around("a", build, gated("a2")))]
    with pytest.raises(SensorSaturated, match="per-session"):
        run(sensor.around("a", build, gated("a3")))
    pending.append(Deferred.fromCoroutine(sensor.around("b", build, gated("b1"))))
    with pytest.raises(SensorSaturated, match="global"):
        run(sensor.around("c", build, gated("c1")))
    assert ran == ["a1", "a2", "b1"]
    for gate in gates:
        gate.callback(None)
    assert all(d.called for d in pending)
    assert sensor.held == 0


def test_acknowledged_event_uses_ack_time_and_is_idempotent() -> None:
    vault = RecordingVault()
    sensor = Sensor(vault, clock=lambda: T0)
    ack_time = datetime(2026, 11, 25, 8, 0, 1, 987654, tzinfo=timezone.utc)
    first = run(sensor.record_acknowledged(build, ack_time, "notice:42"))
    again = run(sensor.record_acknowledged(build, ack_time, "notice:42"))
    assert first == again == 0
    assert vault.events == [(b"<OKCONDGENE><DateEvt>261125080001</DateEvt></OKCONDGENE>", "notice:42")]

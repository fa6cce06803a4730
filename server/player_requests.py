"""What every traced player request shares: its session, the trace header, the sensor around it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Awaitable, Callable, TypeVar

from lxml import etree

from frontal.builders.header import Header
from frontal.sensor import Sensor
from frontal.xsd import TraceInvalid
from server.accounts import Session
from server.protocol.errors import ProtocolError

T = TypeVar("T")


def session_of(connection: Any) -> Session:
    """The logged-in session; the dispatcher only routes logged-in players' requests here."""
    session = connection.session
    assert session is not None
    return session


def player_header(operator_id: str, id_coffre: int, session: Session, hash_joueur: str, at: datetime) -> Header:
    return Header(id_oper=operator_id, date_evt=at, id_evt=0, id_joueur=session.player.id, hash_joueur=hash_joueur,
                  id_session=session.id, ip_joueur=session.ip, id_coffre=id_coffre)


async def traced(sensor: Sensor, session: Session, build: Callable[[datetime], etree._Element],
                 action: Callable[[], Awaitable[T]]) -> T:
    """The request's trace held while the platform acts, recorded once it has; a trace the
    regulator's format refuses stops the request before anything happens."""
    try:
        result, _ = await sensor.around(session.id, build, action)
    except TraceInvalid as exc:
        raise ProtocolError("invalid_value", f"the request does not fit the regulator's format: {exc.reason}") \
            from exc
    return result

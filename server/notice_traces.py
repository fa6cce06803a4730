"""Platform-initiated traces: the notice a player acknowledges becomes its CJ event.

SPEC-NOTES 3: the platform moves the money and pushes a notice; the trace is recorded
when the player's client acknowledges it, with DateEvt = the acknowledgement and the
acknowledging session's IDSession and IPJoueur. The acknowledgement hook runs before the
notice is marked, and the deposit is idempotent on the notice id, so a crash between
the two replays the hook without recording twice. A traced notice cannot be
acknowledged by an account without a verified identity (no HashJoueur): it stays pending.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from lxml import etree
from sqlalchemy import select

from frontal.builders import cj
from frontal.builders.header import Header
from frontal.builders.pasp import BalanceMove
from frontal.sensor import Sensor
from server.db.pool import Database
from server.db.tables import player_identities
from server.notices import Acknowledgement
from server.protocol.errors import ProtocolError

Builder = Callable[[Header, dict[str, Any], tuple[str, ...]], etree._Element]


def _move(data: dict[str, Any], before: str, amount: str, after: str) -> BalanceMove:
    return BalanceMove(Decimal(data[before]), Decimal(data[amount]), Decimal(data[after]))


def _when(data: dict[str, Any], key: str) -> datetime | None:
    return datetime.fromisoformat(data[key]) if data.get(key) else None


def _cptealim(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_cptealim(header, cj.Deposit(
        licences, _move(data, "solde_avant", "solde_mouvement", "solde_apres"),  # type: ignore[arg-type]
        means=data["moyen_paiement"], means_type=data["type_moyen_paiement"],
        requested_at=_when(data, "date_demande"), effective_at=_when(data, "date_effective")))


def _cpteretrait(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_cpteretrait(header, cj.AccountMovement(
        licences, _move(data, "solde_avant", "solde_mouvement", "solde_apres")))  # type: ignore[arg-type]


def _cpteabond(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_cpteabond(header, cj.SoldeTopUp(
        data["licence"], _move(data, "solde_avant", "mont_abond", "solde_apres"), data["info"],
        data["type_abondement"]))


def _cptealimope(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_cptealimope(header, cj.BonusCredit(
        data["licence"], _move(data, "bonus_avant", "bonus_mouvement", "bonus_apres"), data["bonus_nom"]))


def _cpteajustope(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    solde = _move(data, "solde_avant", "solde_ajust", "solde_apres") if "solde_ajust" in data else None
    bonus = _move(data, "bonus_avant", "bonus_ajust", "bonus_apres") if "bonus_ajust" in data else None
    return cj.build_cpteajustope(header, cj.Adjustment(
        tuple(data["licences"]), data["info"], data["type_ajust"], solde, bonus))


def _lotnature(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_lotnature(header, cj.PrizesInKind(
        data["licence"], tuple(cj.Prize(p["nom"], Decimal(p["valeur"])) for p in data["lots"])))


def _ouvokconfirme(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return cj.build_ouvokconfirme(header, licences)  # type: ignore[arg-type]


BUILDERS: dict[str, Builder] = {
    "OUVOKCONFIRME": _ouvokconfirme,
    "CPTEALIM": _cptealim,
    "CPTERETRAIT": _cpteretrait,
    "CPTEABOND": _cpteabond,
    "CPTEALIMOPE": _cptealimope,
    "CPTEAJUSTOPE": _cpteajustope,
    "LOTNATURE": _lotnature,
}


class NoticeTracer:
    """The acknowledgement hook that records traced notices through the sensor."""

    def __init__(self, db: Database, sensor: Sensor, operator_id: str, id_coffre: int,
                 builders: dict[str, Builder] | None = None) -> None:
        self._db = db
        self._id_coffre = id_coffre
        self._sensor = sensor
        self._operator_id = operator_id
        self._builders = BUILDERS if builders is None else builders

    async def __call__(self, ack: Acknowledgement) -> None:
        build = self._builders.get(ack.notice.kind)
        if build is None:
            return  # an operator message, not a regulated event
        player_id = ack.notice.player_id
        identity = await self._db.transaction(lambda c: c.execute(
            select(player_identities).where(player_identities.c.player_id == player_id)).first())
        if identity is None:
            raise ProtocolError("identity_missing",
                                "this account has no verified identity yet: finish opening it to acknowledge")
        licences = tuple(identity.licences.split(","))

        def trace(date_evt: datetime) -> etree._Element:
            header = Header(id_oper=self._operator_id, date_evt=date_evt, id_evt=0, id_joueur=player_id,
                            hash_joueur=identity.hash_joueur, id_session=ack.session.id,
                            ip_joueur=ack.session.ip, id_coffre=self._id_coffre)
            return build(header, ack.notice.data, licences)

        await self._sensor.record_acknowledged(trace, ack.at, f"notice:{ack.notice.id}")


"""Card-room notices the player acknowledges, and the PO events their acknowledgement records.

A notice's data is JSON in the notices table (it must survive restarts until the player
acknowledges it), so each traced notice stores what its builder needs: POPARTIE the
seat's whole view of the hand (po.HandView), POREVERS, POANNUL and POGAIN their amounts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from frontal.builders import po
from frontal.builders.header import Header
from games.cards import from_annex, to_annex


def _amount(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _cards(cards: tuple[int, ...]) -> list[str]:
    return [to_annex(c) for c in cards]


def _uncards(names: list[str]) -> tuple[int, ...]:
    return tuple(from_annex(n) for n in names)


def _round_data(betting: po.Round | None) -> dict[str, Any] | None:
    if betting is None:
        return None
    return {"started_at": betting.started_at.isoformat(), "cards": _cards(betting.cards),
            "total": _amount(betting.total),
            "actions": [{"order": a.order, "seat": a.seat, "decision": a.decision.value, "amount": _amount(a.amount),
                         "at": _when(a.at)} for a in betting.actions]}


def _round(data: dict[str, Any] | None) -> po.Round | None:
    if data is None:
        return None
    actions = tuple(po.Action(a["order"], a["seat"], po.Decision(a["decision"]), _decimal(a["amount"]),
                              _date(a["at"])) for a in data["actions"])
    return po.Round(datetime.fromisoformat(data["started_at"]), _uncards(data["cards"]), actions,
                    Decimal(data["total"]))


def popartie_data(view: po.HandView) -> dict[str, Any]:
    return {
        "tech": view.tech, "id_partie": view.id_partie, "id_table": view.id_table, "typ_poker": view.typ_poker,
        "structure": view.structure,
        "seats": [{"id_joueur": s.id_joueur, "seat": s.seat, "cave": _amount(s.cave), "id_oper": s.id_oper,
                   "small_blind": _amount(s.small_blind), "big_blind": _amount(s.big_blind),
                   "ante": _amount(s.ante)} for s in view.seats],
        "preflop": _round_data(view.preflop), "flop": _round_data(view.flop), "turn": _round_data(view.turn),
        "river": _round_data(view.river), "ended_at": view.ended_at.isoformat(),
        "results": [{"seat": r.seat, "total_bet": _amount(r.total_bet), "won": _amount(r.won),
                     "lost": _amount(r.lost), "shown": _cards(r.shown), "best_five": _cards(r.best_five)}
                    for r in view.results],
    }


def hand_view(data: dict[str, Any]) -> po.HandView:
    preflop = _round(data["preflop"])
    assert preflop is not None
    return po.HandView(
        tech=data["tech"], id_partie=data["id_partie"], id_table=data["id_table"], typ_poker=data["typ_poker"],
        structure=data["structure"],
        seats=tuple(po.Seat(s["id_joueur"], s["seat"], Decimal(s["cave"]), s["id_oper"], _decimal(s["small_blind"]),
                            _decimal(s["big_blind"]), _decimal(s["ante"])) for s in data["seats"]),
        preflop=preflop, flop=_round(data["flop"]), turn=_round(data["turn"]), river=_round(data["river"]),
        ended_at=datetime.fromisoformat(data["ended_at"]),
        results=tuple(po.HandResult(r["seat"], Decimal(r["total_bet"]), _decimal(r["won"]), _decimal(r["lost"]),
                                    _uncards(r["shown"]), _uncards(r["best_five"])) for r in data["results"]))


def _popartie(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return po.build_popartie(header, hand_view(data))


def _porevers(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return po.build_porevers(header, po.CashOut(
        datetime.fromisoformat(data["paid_at"]), data["tech"], Decimal(data["solde_avant"]), Decimal(data["cave"]),
        Decimal(data["solde_apres"]), info=data.get("info")))


def _poannul(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return po.build_poannul(header, po.Cancellation(
        datetime.fromisoformat(data["cancelled_at"]), data["tech"], data.get("id_partie"),
        _decimal(data.get("solde_avant")), _decimal(data.get("montant")), _decimal(data.get("solde_apres")),
        data.get("info")))


def _pogain(header: Header, data: dict[str, Any], licences: tuple[str, ...]) -> etree._Element:
    return po.build_pogain(header, po.TournamentWin(
        datetime.fromisoformat(data["won_at"]), data["tech"], Decimal(data["solde_avant"]), Decimal(data["gain"]),
        Decimal(data["solde_apres"]), info=data.get("info")))


BUILDERS = {"POPARTIE": _popartie, "POREVERS": _porevers, "POANNUL": _poannul, "POGAIN": _pogain}

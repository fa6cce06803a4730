"""The PASP/PAHI/PO builders reproduce the annex's examples and refuse what the XSD refuses."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal as D

import pytest

from frontal.builders import pahi, pasp, po
from frontal.xsd import TraceInvalid
from games.cards import from_annex
from tests.frontal_schemas_pa_po.builder_support import differences, header_of, utc
from tests.frontal_schemas_pa_po.schema_support import annex, errors


def cards(*names: str) -> tuple[int, ...]:
    return tuple(from_annex(name) for name in names)


# --- PASPMISE, 1.4.1.a.1 example 1 ---------------------------------------------------------
SIMPLE_BET = pasp.SportsBet(
    tech="8ACEB0TV",
    combinations=(
        pasp.Combination(
            combi="S",
            lines=(
                pasp.BetLine(
                    renc="UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF",
                    tech="1234:565:43:99",
                    sport="FOO",
                    evnt="NT95S",
                    genre="H",
                    date=utc("1112061945"),
                    part=("CHELSEA", "VALENCE CF"),
                    prognostics=(
                        pasp.Prognostic(parts=(pasp.ElementaryPrognostic("E4VGB"),), cote=D("3.40")),
                    ),
                ),
            ),
            mise_base=D("1.50"),
        ),
    ),
    solde=pasp.BalanceMove(D("47.33"), D("1.50"), D("45.83")),
)


def test_paspmise_reproduces_annex_example_1() -> None:
    expected = annex("L4205")
    built = pasp.build_paspmise(header_of(expected), SIMPLE_BET)
    assert differences(built, expected) == []
    assert errors(built) == []


def test_paspmise_with_a_broken_code_raises_trace_invalid() -> None:
    line = replace(SIMPLE_BET.combinations[0].lines[0], sport="foo")
    bet = replace(SIMPLE_BET, combinations=(replace(SIMPLE_BET.combinations[0], lines=(line,)),))
    with pytest.raises(TraceInvalid, match="Sport"):
        pasp.build_paspmise(header_of(annex("L4205")), bet)


def test_paspgain_reproduces_annex() -> None:
    expected = annex("L5409")
    win = pasp.BetWin("ABLSTJEK", utc("111206220000"), D("45.83"), D("8.20"), D("59.03"), gain_abond=D("5.00"))
    assert differences(pasp.build_paspgain(header_of(expected), win), expected) == []


def test_paspannul_validates_and_refuses_a_negative_refund() -> None:
    header = header_of(annex("L5409"))
    cancel = pasp.BetCancel("ABLSTJEK", utc("1112061945"), D("45.83"), D("1.50"), D("47.33"), info="Match annule")
    built = pasp.build_paspannul(header, cancel)
    assert built.findtext("DateHeure") == "1112061945"
    assert errors(built) == []
    with pytest.raises(TraceInvalid, match="MontantRembours"):
        pasp.build_paspannul(header, replace(cancel, montant=D("-1.50")))


# --- PAHI ----------------------------------------------------------------------------------
def test_pahimise_reproduces_annex() -> None:
    expected = annex("L5654")
    bet = pahi.RaceBet(
        tech="12335652233", clair="tiercé 31/10/2009", bet_type="tiercé", race_name="R1C3",
        race_at=utc("091031120000"), horses=("5", "10", "2"),
        solde_avant=D("27.33"), mise=D("5"), solde_apres=D("22.33"), mise_abond=D("5"),
    )
    assert differences(pahi.build_pahimise(header_of(expected), bet), expected) == []


def test_pahigain_and_pahiannul_validate() -> None:
    header = header_of(annex("L5654"))
    win = pahi.RaceWin("12335652233", "tiercé 31/10/2009", utc("091031130000"), D("22.33"), D("40"), D("62.33"))
    assert errors(pahi.build_pahigain(header, win)) == []
    cancel = pahi.RaceCancel("12335652233", "tiercé 31/10/2009", utc("0910311300"), D("22.33"), D("5"), D("27.33"))
    assert errors(pahi.build_pahiannul(header, cancel)) == []
    with pytest.raises(TraceInvalid, match="Choix"):
        pahi.build_pahimise(header, pahi.RaceBet("T", "C", "tiercé", "R1C3", utc("091031120000"), horses=()))


# --- PO ------------------------------------------------------------------------------------
def test_poinscrit_reproduces_annex() -> None:
    expected = annex("L5785")
    registration = po.Registration(
        tech="NPT091015",
        id_inscription="National Poker Tour 15 Octobre 2009 norebuy",
        tournament=po.Tournament(utc("091015120000"), paid_places=20, starting_chips=2000),
        min_players=100, max_players=5000,
        bonus=pasp.BalanceMove(D("50"), D("10"), D("40")),
    )
    assert differences(po.build_poinscrit(header_of(expected), registration), expected) == []


def test_pocave_reproduces_annex() -> None:
    expected = annex("L5917")
    buy_in = po.BuyIn(
        tech="PK187577", chips=100, unit="Euro", cave_min=D("10"), cave_max=D("200"),
        solde=pasp.BalanceMove(D("550"), D("98"), D("452")), mont_abond=D("2"),
    )
    assert differences(po.build_pocave(header_of(expected), buy_in), expected) == []
    with pytest.raises(TraceInvalid, match="UniteJeton"):
        po.build_pocave(header_of(expected), replace(buy_in, unit="Dollar"))


def test_pogain_reproduces_annex() -> None:
    expected = annex("L5842")
    win = po.TournamentWin(utc("091015134530"), "NPT091015", D("50"), D("500"), D("550"))
    assert differences(po.build_pogain(header_of(expected), win), expected) == []


def test_poannul_reproduces_annex() -> None:
    expected = annex("L5866")
    cancellation = po.Cancellation(
        utc("091019063437"), "NPT091020", solde_avant=D("540"), montant=D("10"), solde_apres=D("550"),
        info=" Le tournoi National Poker Tour 20 Octobre 2009 a été annulé.",
    )
    assert differences(po.build_poannul(header_of(expected), cancellation), expected) == []


def test_porevers_reproduces_annex() -> None:
    expected = annex("L5946")
    cash_out = po.CashOut(utc("091015155040"), "PK187577", D("540"), D("254"), D("794"))
    assert differences(po.build_porevers(header_of(expected), cash_out), expected) == []


S, P, T, R, C, M = (po.Decision.SUIVRE, po.Decision.PAROLE, po.Decision.TAPIS,
                    po.Decision.RELANCE, po.Decision.SECOUCHE, po.Decision.MISE)

FLOP_ALL_IN = po.HandView(  # 1.4.2.g.1, seen by grego82 (seat 9)
    tech="PK942045", id_partie="P592958", id_table="T245", typ_poker="THNL", structure="5-10",
    seats=(
        po.Seat("4444", 4, 240, id_oper="4512", small_blind=5),
        po.Seat("7777", 7, 410, id_oper="4512", big_blind=10),
        po.Seat("9999", 9, 1060, id_oper="4512"),
        po.Seat("1010", 10, 990, id_oper="4512"),
        po.Seat("1111", 1, 375, id_oper="4512"),
        po.Seat("3333", 3, 970, id_oper="4512"),
    ),
    preflop=po.Round(
        utc("091015144000"), cards("2Tr", "8Pi"),
        (
            po.Action(1, 9, S, 10, at=utc("091015144010")),
            po.Action(2, 10, S, 10),
            po.Action(3, 1, C),
            po.Action(4, 3, S, 10),
            po.Action(5, 4, C),
            po.Action(6, 7, P),
        ),
        total=45,
    ),
    flop=po.Round(
        utc("091015144150"), cards("2Co", "2Ca", "8Co"),
        (
            po.Action(1, 7, P),
            po.Action(2, 9, P, at=utc("091015144155")),
            po.Action(3, 10, M, 100),
            po.Action(4, 3, C),
            po.Action(5, 7, C),
            po.Action(6, 9, T, 1050, at=utc("091015144200")),
            po.Action(7, 10, C),
        ),
        total=1150,
    ),
    turn=None,
    river=None,
    ended_at=utc("091015144210"),
    results=(
        po.HandResult(9, 1060, won=1195, shown=cards("2Tr", "8Pi"),
                      best_five=cards("8Co", "2Ca", "2Co", "2Tr", "8Pi")),
        po.HandResult(10, 110, lost=110),
        po.HandResult(3, 10, lost=10),
        po.HandResult(4, 5, lost=5),
        po.HandResult(7, 10, lost=10),
    ),
)


def test_popartie_reproduces_annex_example_1() -> None:
    expected = annex("L6015")
    built = po.build_popartie(header_of(expected), FLOP_ALL_IN)
    assert differences(built, expected) == []
    assert errors(built) == []


@pytest.mark.parametrize(
    ("change", "element"),
    [
        (lambda v: replace(v, results=(replace(v.results[0], lost=5),) + v.results[1:]), "Perte"),
        (lambda v: replace(v, results=(replace(v.results[1], lost=None),) + v.results[2:]), "Main"),
        (lambda v: replace(v, preflop=replace(v.preflop, actions=(po.Action(1, 7, P, 10),))), "JMontant"),
        (lambda v: replace(v, preflop=replace(v.preflop, actions=(po.Action(1, 9, S),))), "Suivre"),
        (lambda v: replace(v, seats=v.seats[:1]), "PreFlop"),
        (lambda v: replace(v, typ_poker="NLHE"), "TypPoker"),
        (lambda v: replace(v, flop=replace(v.flop, cards=cards("2Co", "2Ca"))), "Parole"),
        (lambda v: replace(v, seats=(replace(v.seats[0], seat=13),) + v.seats[1:]), "JSiege"),
    ],
)
def test_popartie_refuses_what_the_schema_refuses(
    change: Callable[[po.HandView], po.HandView], element: str
) -> None:
    with pytest.raises(TraceInvalid, match=element):
        po.build_popartie(header_of(annex("L6015")), change(FLOP_ALL_IN))


def test_paspmise_system_bet_with_every_optional_field_validates() -> None:
    handicap = pasp.Prognostic(
        parts=(pasp.ElementaryPrognostic("HGY5U", "CHELSEA"), pasp.ElementaryPrognostic("6H9OE", "1")),
        cote=D("2.10"),
    )
    line = replace(
        SIMPLE_BET.combinations[0].lines[0], cat="C1", disc=("D1", "D2"), prognostics=(handicap,),
        live=True, banque=True,
    )
    bet = replace(
        SIMPLE_BET,
        combinations=(pasp.Combination("XY", (line, line, line), x=2, mise_base=D("0.50")),),
        solde=None, mise_abond=D("1.00"), bonus=pasp.BalanceMove(D("10"), D("1.50"), D("8.50")), bonus_nom="Bienvenue",
    )
    built = pasp.build_paspmise(header_of(annex("L4205")), bet)
    assert errors(built) == []
    assert [node.tag for node in built.find("PaSp/LigSp/PronoSp")] == ["TypeRes", "Choix", "TypeRes", "Choix"]
    assert built.find("PaSp/LigSp/Live") is not None and built.find("SoldeAvantMise") is None


def test_paspmise_with_half_a_balance_triple_cannot_be_expressed_and_bad_money_is_refused() -> None:
    # BalanceMove keeps the annex's "present or absent together" rule by construction; amounts
    # that are not Decimal or carry sub-cent digits are refused before any XML is written.
    with pytest.raises(TypeError):
        pasp.build_paspmise(header_of(annex("L4205")), replace(SIMPLE_BET, mise_abond=1.5))
    with pytest.raises(ValueError):
        pasp.build_paspmise(header_of(annex("L4205")), replace(SIMPLE_BET, mise_abond=D("1.505")))

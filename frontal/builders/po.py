"""Poker events POINSCRIT, POCAVE, POPARTIE, POGAIN, POREVERS, POANNUL (annex 1.3.5).

Amounts on the table (caves, blinds, decisions, pots) are in the game's unit ("en unite de la
partie": chips in a tournament, euros in a cash game) and are written as plain decimals;
account balances are money (frontal.canonical.money). Cards are games.cards.Card ints.

POPARTIE is built from this module's own HandView, one record per seated player per hand holding
only what that player saw; server.poker_traces fills it from the engine's seat view
(games.hand_views).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from lxml import etree

from frontal.builders.header import Header, build_header
from frontal.builders.pasp import BalanceMove, decimal_text, optional, optional_money, sub
from frontal.canonical import date_aammjjhhmmss, money
from frontal.xsd import validate_event
from games.cards import Card, to_annex


def units(parent: etree._Element, tag: str, amount: Decimal | int) -> None:
    """A game-unit amount: int for whole chips, Decimal otherwise (never cents)."""
    if isinstance(amount, bool):
        raise TypeError(f"{tag}: not an amount")
    value = Decimal(amount) if isinstance(amount, int) else amount
    sub(parent, tag, decimal_text(value))


def optional_units(parent: etree._Element, tag: str, amount: Decimal | int | None) -> None:
    if amount is not None:
        units(parent, tag, amount)


@dataclass(frozen=True)
class Tournament:
    starts_at: datetime | None = None
    paid_places: int | None = None
    starting_chips: int | None = None


@dataclass(frozen=True)
class Registration:
    tech: str
    id_inscription: str
    tournament: Tournament | None = None
    min_players: int | None = None
    max_players: int | None = None
    solde: BalanceMove | None = None
    mont_abond: Decimal | None = None
    bonus: BalanceMove | None = None
    bonus_nom: str | None = None


@dataclass(frozen=True)
class BuyIn:
    tech: str
    chips: Decimal | int
    unit: str  # "Jeton" (tournament) or "Euro" (cash game)
    cave_min: Decimal | None = None
    cave_max: Decimal | None = None
    solde: BalanceMove | None = None
    mont_abond: Decimal | None = None
    bonus: BalanceMove | None = None
    bonus_nom: str | None = None


@dataclass(frozen=True)
class TournamentWin:
    won_at: datetime
    tech: str
    solde_avant: Decimal
    gain: Decimal
    solde_apres: Decimal
    gain_abond: Decimal | None = None
    info: str | None = None


@dataclass(frozen=True)
class CashOut:
    paid_at: datetime
    tech: str
    solde_avant: Decimal
    cave: Decimal
    solde_apres: Decimal
    mont_abond: Decimal | None = None
    info: str | None = None


@dataclass(frozen=True)
class Cancellation:
    cancelled_at: datetime
    tech: str
    id_partie: str | None = None
    solde_avant: Decimal | None = None
    montant: Decimal | None = None
    solde_apres: Decimal | None = None
    info: str | None = None


class Decision(Enum):
    """The decisions of 1.3.5.a, named as the annex's elements."""

    SUIVRE = "Suivre"
    PAROLE = "Parole"
    TAPIS = "Tapis"
    RELANCE = "Relance"
    SECOUCHE = "SeCouche"
    MISE = "Mise"


@dataclass(frozen=True)
class Action:
    order: int  # MiseOrdre, from 1 within the round
    seat: int
    decision: Decision
    # Total of the call, bet, raise or all-in; None for Parole and SeCouche (the schema checks).
    amount: Decimal | int | None = None
    at: datetime | None = None  # only the recording player's own decisions need a date


@dataclass(frozen=True)
class Round:
    started_at: datetime
    cards: tuple[Card, ...]  # hole cards (PreFlop) or board cards dealt in this round
    actions: tuple[Action, ...]
    total: Decimal | int  # TotalMise: pot of called bets at the end of the round


@dataclass(frozen=True)
class Seat:
    id_joueur: str
    seat: int
    cave: Decimal | int
    id_oper: str | None = None
    small_blind: Decimal | int | None = None
    big_blind: Decimal | int | None = None
    ante: Decimal | int | None = None


@dataclass(frozen=True)
class HandResult:
    """One Main: exactly one of won (collected, own chips included) or lost is set."""

    seat: int
    total_bet: Decimal | int
    won: Decimal | int | None = None
    lost: Decimal | int | None = None
    shown: tuple[Card, ...] = ()
    best_five: tuple[Card, ...] = ()


@dataclass(frozen=True)
class HandView:
    """A hand as one seated player saw it."""

    tech: str
    id_partie: str
    id_table: str
    typ_poker: str  # THPL, THNL, THL, OHPL
    structure: str  # e.g. "5-10"
    seats: tuple[Seat, ...]
    preflop: Round
    flop: Round | None
    turn: Round | None
    river: Round | None
    ended_at: datetime
    results: tuple[HandResult, ...]


def _add_balance(root: etree._Element, prefix: str, move: BalanceMove | None) -> None:
    """SoldeAvant/SoldeMouvement/SoldeApres or the Bonus triple."""
    if move is None:
        return
    sub(root, f"{prefix}Avant", money(move.before))
    sub(root, f"{prefix}Mouvement", money(move.amount))
    sub(root, f"{prefix}Apres", money(move.after))


def build_poinscrit(header: Header, registration: Registration) -> etree._Element:
    root = build_header("POINSCRIT", header)
    sub(root, "Tech", registration.tech)
    sub(root, "IDInscription", registration.id_inscription)
    tournament = registration.tournament
    if tournament is not None:
        desc = sub(root, "DescTournoi")
        if tournament.starts_at is not None:
            sub(desc, "DateTournoi", date_aammjjhhmmss(tournament.starts_at))
        optional(desc, "TournoiNbJoueurQualification", _count(tournament.paid_places))
        optional(desc, "TournoiNbJeton", _count(tournament.starting_chips))
    optional(root, "NbMinJ", _count(registration.min_players))
    optional(root, "NbMaxJ", _count(registration.max_players))
    _add_balance(root, "Solde", registration.solde)
    optional_money(root, "MontAbond", registration.mont_abond)
    _add_balance(root, "Bonus", registration.bonus)
    optional(root, "BonusNom", registration.bonus_nom)
    validate_event(root)
    return root


def _count(value: int | None) -> str | None:
    return None if value is None else str(value)


def build_pocave(header: Header, buy_in: BuyIn) -> etree._Element:
    root = build_header("POCAVE", header)
    sub(root, "Tech", buy_in.tech)
    optional_money(root, "CaveMin", buy_in.cave_min)
    optional_money(root, "CaveMax", buy_in.cave_max)
    units(root, "NbJeton", buy_in.chips)
    sub(root, "UniteJeton", buy_in.unit)
    _add_balance(root, "Solde", buy_in.solde)
    optional_money(root, "MontAbond", buy_in.mont_abond)
    _add_balance(root, "Bonus", buy_in.bonus)
    optional(root, "BonusNom", buy_in.bonus_nom)
    validate_event(root)
    return root


def build_pogain(header: Header, win: TournamentWin) -> etree._Element:
    root = build_header("POGAIN", header)
    sub(root, "DateGain", date_aammjjhhmmss(win.won_at))
    sub(root, "Tech", win.tech)
    sub(root, "SoldeAvantGain", money(win.solde_avant))
    sub(root, "Gain", money(win.gain))
    sub(root, "SoldeApresGain", money(win.solde_apres))
    optional_money(root, "GainAbond", win.gain_abond)
    optional(root, "Info", win.info)
    validate_event(root)
    return root


def build_porevers(header: Header, cash_out: CashOut) -> etree._Element:
    root = build_header("POREVERS", header)
    sub(root, "DateRevers", date_aammjjhhmmss(cash_out.paid_at))
    sub(root, "Tech", cash_out.tech)
    sub(root, "SoldeAvantRevers", money(cash_out.solde_avant))
    sub(root, "CaveRevers", money(cash_out.cave))
    sub(root, "SoldeApresRevers", money(cash_out.solde_apres))
    optional_money(root, "MontAbond", cash_out.mont_abond)
    optional(root, "Info", cash_out.info)
    validate_event(root)
    return root


def build_poannul(header: Header, cancellation: Cancellation) -> etree._Element:
    root = build_header("POANNUL", header)
    sub(root, "DateAnnule", date_aammjjhhmmss(cancellation.cancelled_at))
    sub(root, "Tech", cancellation.tech)
    optional(root, "IDPartie", cancellation.id_partie)
    optional_money(root, "SoldeAvantRembours", cancellation.solde_avant)
    optional_money(root, "MontantRembours", cancellation.montant)
    optional_money(root, "SoldeApresRembours", cancellation.solde_apres)
    optional(root, "Info", cancellation.info)
    validate_event(root)
    return root


def _round(root: etree._Element, tag: str, card_tag: str, betting: Round) -> None:
    node = sub(root, tag)
    sub(node, "DateEnchere", date_aammjjhhmmss(betting.started_at))
    for card in betting.cards:
        sub(node, card_tag, to_annex(card))
    for action in betting.actions:
        decision = sub(node, action.decision.value)
        if action.at is not None:
            sub(decision, "DateMise", date_aammjjhhmmss(action.at))
        sub(decision, "MiseOrdre", str(action.order))
        sub(decision, "JSiege", str(action.seat))
        if action.amount is not None:
            units(decision, "JMontant", action.amount)
    units(node, "TotalMise", betting.total)


def build_popartie(header: Header, view: HandView) -> etree._Element:
    root = build_header("POPARTIE", header)
    sub(root, "Tech", view.tech)
    sub(root, "IDPartie", view.id_partie)
    sub(root, "IDTable", view.id_table)
    sub(root, "TypPoker", view.typ_poker)
    sub(root, "StructurePartie", view.structure)
    for seat in view.seats:
        joueur = sub(root, "Joueur")
        sub(joueur, "IDJoueur", seat.id_joueur)
        optional(joueur, "IDOper", seat.id_oper)
        sub(joueur, "JSiege", str(seat.seat))
        units(joueur, "JCave", seat.cave)
        optional_units(joueur, "PetiteBlind", seat.small_blind)
        optional_units(joueur, "GrosseBlind", seat.big_blind)
        optional_units(joueur, "Ante", seat.ante)
    _round(root, "PreFlop", "CarteJoueur", view.preflop)
    for tag, betting in (("Flop", view.flop), ("Tournant", view.turn), ("Riviere", view.river)):
        if betting is not None:
            _round(root, tag, "TabCarte", betting)
    decouverte = sub(root, "Decouverte")
    sub(decouverte, "DateEnchere", date_aammjjhhmmss(view.ended_at))
    for result in view.results:
        main = sub(decouverte, "Main")
        for card in result.shown:
            sub(main, "carte", to_annex(card))
        for card in result.best_five:
            sub(main, "MainMax", to_annex(card))
        sub(main, "JSiege", str(result.seat))
        units(main, "TotalMise", result.total_bet)
        # Both or neither is written as given: the schema's Gain|Perte choice rejects it.
        optional_units(main, "Gain", result.won)
        optional_units(main, "Perte", result.lost)
    validate_event(root)
    return root

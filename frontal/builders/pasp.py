"""Sports-betting events PASPMISE, PASPGAIN, PASPANNUL (annex 1.3.4) from typed values.

Each builder appends the common header, the event's own elements in the annex's order, then
validates the element with frontal.xsd: a record the schema refuses never leaves a builder
(TraceInvalid).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lxml import etree

from frontal.builders.header import Header, build_header
from frontal.canonical import date_aammjjhhmm, date_aammjjhhmmss, money
from frontal.xsd import validate_event


def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, tag)
    node.text = text
    return node


def optional(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        sub(parent, tag, text)


def optional_money(parent: etree._Element, tag: str, amount: Decimal | None) -> None:
    if amount is not None:
        sub(parent, tag, money(amount))


def decimal_text(value: Decimal) -> str:
    """Odds and other non-money decimals: plain positional notation, never an exponent."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"expected a finite Decimal, got {value!r}")
    return f"{value:f}"


@dataclass(frozen=True)
class ElementaryPrognostic:
    type_res: str  # nomenclature code, e.g. "E4VGB"
    choix: str = ""  # empty for results that need no choice (draw)


@dataclass(frozen=True)
class Prognostic:
    """One PronoSp (a union of elementary prognostics) and the odds shown for it, if any."""

    parts: tuple[ElementaryPrognostic, ...]
    cote: Decimal | None = None


@dataclass(frozen=True)
class BetLine:
    """One LigSp: a match and the prognostics made on it."""

    renc: str  # canonical form, see frontal.canonical.canonical_name
    tech: str
    sport: str
    evnt: str
    date: datetime
    prognostics: tuple[Prognostic, ...]
    cat: str | None = None
    disc: tuple[str, ...] = ()
    genre: str | None = None  # H, F or M; absent means H
    part: tuple[str, ...] = ()
    live: bool = False
    banque: bool = False


@dataclass(frozen=True)
class Combination:
    """One PaSp: the combinatorics (S, C, XY, TRIXIE...) and its lines."""

    combi: str
    lines: tuple[BetLine, ...]
    x: int | None = None
    mise_base: Decimal | None = None


@dataclass(frozen=True)
class BalanceMove:
    """A compartment before, the amount moved, the compartment after (present together)."""

    before: Decimal
    amount: Decimal
    after: Decimal


@dataclass(frozen=True)
class SportsBet:
    tech: str
    combinations: tuple[Combination, ...]
    solde: BalanceMove | None = None
    mise_abond: Decimal | None = None
    bonus: BalanceMove | None = None
    bonus_nom: str | None = None


@dataclass(frozen=True)
class BetWin:
    tech: str
    result_at: datetime
    solde_avant: Decimal
    gain: Decimal
    solde_apres: Decimal
    gain_abond: Decimal | None = None
    info: str | None = None


@dataclass(frozen=True)
class BetCancel:
    tech: str
    cancelled_at: datetime
    solde_avant: Decimal
    montant: Decimal
    solde_apres: Decimal
    info: str | None = None


def _line(parent: etree._Element, line: BetLine) -> None:
    node = sub(parent, "LigSp")
    sub(node, "Renc", line.renc)
    sub(node, "Tech", line.tech)
    sub(node, "Sport", line.sport)
    optional(node, "Cat", line.cat)
    sub(node, "Evnt", line.evnt)
    for disc in line.disc:
        sub(node, "Disc", disc)
    optional(node, "Genre", line.genre)
    sub(node, "Date", date_aammjjhhmm(line.date))
    for part in line.part:
        sub(node, "Part", part)
    for prognostic in line.prognostics:
        prono = sub(node, "PronoSp")
        for part in prognostic.parts:
            sub(prono, "TypeRes", part.type_res)
            sub(prono, "Choix", part.choix)
        if prognostic.cote is not None:
            sub(node, "Cote", decimal_text(prognostic.cote))
    if line.live:
        sub(node, "Live")
    if line.banque:
        sub(node, "Banque")


def build_paspmise(header: Header, bet: SportsBet) -> etree._Element:
    root = build_header("PASPMISE", header)
    sub(root, "Tech", bet.tech)
    for combination in bet.combinations:
        pasp = sub(root, "PaSp")
        sub(pasp, "Combi", combination.combi)
        if combination.x is not None:
            sub(pasp, "X", str(combination.x))
        for line in combination.lines:
            _line(pasp, line)
        optional_money(pasp, "MiseBase", combination.mise_base)
    if bet.solde is not None:
        sub(root, "SoldeAvantMise", money(bet.solde.before))
        sub(root, "Mise", money(bet.solde.amount))
        sub(root, "SoldeApresMise", money(bet.solde.after))
    optional_money(root, "MiseAbond", bet.mise_abond)
    if bet.bonus is not None:
        sub(root, "BonusAvantMise", money(bet.bonus.before))
        sub(root, "BonusMise", money(bet.bonus.amount))
        sub(root, "BonusApresMise", money(bet.bonus.after))
    optional(root, "BonusNom", bet.bonus_nom)
    validate_event(root)
    return root


def build_paspgain(header: Header, win: BetWin) -> etree._Element:
    root = build_header("PASPGAIN", header)
    sub(root, "Tech", win.tech)
    sub(root, "DateHeure", date_aammjjhhmmss(win.result_at))
    sub(root, "SoldeAvantGain", money(win.solde_avant))
    sub(root, "Gain", money(win.gain))
    sub(root, "SoldeApresGain", money(win.solde_apres))
    optional_money(root, "GainAbond", win.gain_abond)
    optional(root, "Info", win.info)
    validate_event(root)
    return root


def build_paspannul(header: Header, cancel: BetCancel) -> etree._Element:
    root = build_header("PASPANNUL", header)
    sub(root, "Tech", cancel.tech)
    sub(root, "DateHeure", date_aammjjhhmm(cancel.cancelled_at))
    sub(root, "SoldeAvantRembours", money(cancel.solde_avant))
    sub(root, "MontantRembours", money(cancel.montant))
    sub(root, "SoldeApresRembours", money(cancel.solde_apres))
    optional(root, "Info", cancel.info)
    validate_event(root)
    return root

"""Horse-racing events PAHIMISE, PAHIGAIN, PAHIANNUL (annex 1.3.4) from typed values.

Unlike PASPMISE, the annex sets no "present or absent together" rule on PAHIMISE's balances,
so each amount is optional on its own, as in the annex's table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lxml import etree

from frontal.builders.header import Header, build_header
from frontal.builders.pasp import optional, optional_money, sub
from frontal.canonical import date_aammjjhhmm, date_aammjjhhmmss, money
from frontal.xsd import validate_event


@dataclass(frozen=True)
class RaceBet:
    tech: str
    clair: str  # the bet's label as shown to the player
    bet_type: str  # Desc/Type: free, but the same string for every bet of one type
    race_name: str
    race_at: datetime
    horses: tuple[str, ...]  # Desc/Choix, in the order that matters for the bet type
    solde_avant: Decimal | None = None
    mise: Decimal | None = None
    solde_apres: Decimal | None = None
    mise_abond: Decimal | None = None
    bonus_avant: Decimal | None = None
    bonus_mouvement: Decimal | None = None
    bonus_apres: Decimal | None = None
    bonus_nom: str | None = None


@dataclass(frozen=True)
class RaceWin:
    tech: str
    clair: str
    result_at: datetime
    solde_avant: Decimal
    gain: Decimal
    solde_apres: Decimal
    gain_abond: Decimal | None = None
    info: str | None = None


@dataclass(frozen=True)
class RaceCancel:
    tech: str
    clair: str
    cancelled_at: datetime
    solde_avant: Decimal
    montant: Decimal
    solde_apres: Decimal
    info: str | None = None


def build_pahimise(header: Header, bet: RaceBet) -> etree._Element:
    root = build_header("PAHIMISE", header)
    sub(root, "Tech", bet.tech)
    sub(root, "Clair", bet.clair)
    desc = sub(root, "Desc")
    sub(desc, "Type", bet.bet_type)
    sub(desc, "Nom", bet.race_name)
    sub(desc, "DateHeure", date_aammjjhhmmss(bet.race_at))
    for horse in bet.horses:
        sub(desc, "Choix", horse)
    optional_money(root, "SoldeAvantMise", bet.solde_avant)
    optional_money(root, "Mise", bet.mise)
    optional_money(root, "SoldeApresMise", bet.solde_apres)
    optional_money(root, "MiseAbond", bet.mise_abond)
    optional_money(root, "BonusAvantMise", bet.bonus_avant)
    optional_money(root, "BonusMouvement", bet.bonus_mouvement)
    optional_money(root, "BonusApresMise", bet.bonus_apres)
    optional(root, "BonusNom", bet.bonus_nom)
    validate_event(root)
    return root


def build_pahigain(header: Header, win: RaceWin) -> etree._Element:
    root = build_header("PAHIGAIN", header)
    sub(root, "Tech", win.tech)
    sub(root, "Clair", win.clair)
    sub(root, "DateHeure", date_aammjjhhmmss(win.result_at))
    sub(root, "SoldeAvantGain", money(win.solde_avant))
    sub(root, "Gain", money(win.gain))
    sub(root, "SoldeApresGain", money(win.solde_apres))
    optional_money(root, "GainAbond", win.gain_abond)
    optional(root, "Info", win.info)
    validate_event(root)
    return root


def build_pahiannul(header: Header, cancel: RaceCancel) -> etree._Element:
    root = build_header("PAHIANNUL", header)
    sub(root, "Tech", cancel.tech)
    sub(root, "Clair", cancel.clair)
    sub(root, "DateHeure", date_aammjjhhmm(cancel.cancelled_at))
    sub(root, "SoldeAvantRembours", money(cancel.solde_avant))
    sub(root, "MontantRembours", money(cancel.montant))
    sub(root, "SoldeApresRembours", money(cancel.solde_apres))
    optional(root, "Info", cancel.info)
    validate_event(root)
    return root

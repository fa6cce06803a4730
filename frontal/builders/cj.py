"""Player-account events (compte joueur, annex 1.3.3) from typed values.

OUVINFOPERSO, CPTEREF, PREFCPTE, OKCONDGENE, OUVOKCONFIRME, ACCESREFUSE, MODIFINFOPERSO,
AUTOINTERDICTION, CLOTUREDEM, CPTEALIM, CPTERETRAIT, CPTEABOND, CPTEALIMOPE, CPTEAJUSTOPE,
LOTNATURE: one builder each, header first (frontal.builders.header), then the event's elements
in schemas/CJ.xsd's order. Money is Decimal or integer cents (frontal.canonical.money).

Besides the schema, builders refuse what XSD 1.0 cannot say but an auditor would see at once:
a balance triple whose arithmetic is wrong, an IBAN whose check digits are wrong, an adjustment
that lacks the compartment its TypeAjust names. Every refusal happens before the trace exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from lxml import etree

from frontal.builders.header import Header, build_header
from frontal.builders.pasp import BalanceMove, decimal_text, optional, optional_money, sub
from frontal.canonical import date_aaaammjj, date_aammjjhhmm, money
from frontal.xsd import TraceInvalid, validate_event

Licence = Literal["PS", "PH", "JC"]  # TypAg: sports betting, horse betting, circle games
Period = Literal["H", "J", "S", "M", "A"]  # hour, day, week, month, year
Amount = Decimal | int  # int means cents, as everywhere money() is used



# --- shapes shared by several events --------------------------------------------------------

@dataclass(frozen=True)
class PersonalInfo:
    """OUVINFOPERSO and MODIFINFOPERSO: the whole identity, resent in full on every change."""

    licences: tuple[Licence, ...]
    login: str
    pseudo: str
    birth_name: str
    first_name: str  # the one the banned-players check uses
    civility: Literal["M", "Mme"]
    birth_date: date
    birth_town: str
    birth_department: str  # "99" for a birth abroad
    birth_country: str
    address: tuple[str, ...]  # 1 to 8 lines
    postal_code: str
    town: str
    country: str
    email: str
    other_first_names: str | None = None  # all the others, separated by a space
    phone_fixed: str | None = None
    phone_mobile: str | None = None


@dataclass(frozen=True)
class AccountMovement:
    """CPTERETRAIT, and the common part of CPTEALIM: the solde compartment moved."""

    licences: tuple[Licence, ...]
    solde: BalanceMove


@dataclass(frozen=True)
class Deposit(AccountMovement):
    means: str  # free, but the same string for every deposit with the same means
    means_type: Literal["CarteBancaire", "Virement", "Intermediaire", "MonnaieElectronique"]
    requested_at: datetime | None = None
    effective_at: datetime | None = None


# --- one shape per remaining event ------------------------------------------------------------

@dataclass(frozen=True)
class PaymentAccount:
    """CPTEREF: exactly one of iban and reference."""

    licences: tuple[Licence, ...]
    cib: str
    label: str
    iban: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Ceiling:
    """PREFCPTE MiseMax / DepotMax."""

    amount: Amount
    period: Period
    game_type: str | None = None


@dataclass(frozen=True)
class Moderator:
    """PREFCPTE Moderateur: a limit of the operator's own."""

    label: str
    threshold: Decimal
    period: Period
    game_type: str


@dataclass(frozen=True)
class Preferences:
    licences: tuple[Licence, ...]
    account_min: Amount | None = None
    account_max: Amount | None = None  # above it, the surplus goes to the payment account
    stake_ceilings: tuple[Ceiling, ...] = ()
    deposit_ceilings: tuple[Ceiling, ...] = ()
    moderators: tuple[Moderator, ...] = ()


RefusalKind = Literal[
    "DelaiIdentite", "RejetIdentite", "Interdit", "AutoInterdit",
    "OpVerrouille", "Verrouille", "Cloture", "Autre",
]


@dataclass(frozen=True)
class AccessRefusal:
    licence: Licence
    cause: str | None = None  # the message as the player saw it
    kind: RefusalKind | None = None


@dataclass(frozen=True)
class SelfExclusion:
    """AUTOINTERDICTION; days as computed by server.self_exclusion (art. 641 CPC)."""

    licence: Licence
    kind: Literal["Temporaire", "Definitive"]
    days: int
    taken_at: datetime | None = None  # None: the event's own DateEvt, the exclusion is immediate


@dataclass(frozen=True)
class SoldeTopUp:
    """CPTEABOND."""

    licence: Licence
    solde: BalanceMove
    info: str
    kind: Literal["Ouverture", "RakeBack", "HautFait", "Code", "Offre"] = "Offre"


@dataclass(frozen=True)
class BonusCredit:
    """CPTEALIMOPE."""

    licence: Licence
    bonus: BalanceMove
    name: str


AdjustmentKind = Literal["Alimentation", "Retrait", "Gain", "Abondement", "Bonus", "Lot"]


@dataclass(frozen=True)
class Adjustment:
    """CPTEAJUSTOPE; amounts in each BalanceMove are signed (a correction may debit)."""

    licences: tuple[Licence, ...]
    info: str
    kind: AdjustmentKind
    solde: BalanceMove | None = None
    bonus: BalanceMove | None = None


@dataclass(frozen=True)
class Prize:
    name: str  # with the maker's reference when there is one
    value: Amount


@dataclass(frozen=True)
class PrizesInKind:
    """LOTNATURE."""

    licence: Licence
    prizes: tuple[Prize, ...]


# --- helpers ---------------------------------------------------------------------------------

def _validated(root: etree._Element) -> etree._Element:
    validate_event(root)
    return root


def _licences(parent: etree._Element, licences: tuple[Licence, ...] | Licence) -> None:
    for licence in (licences,) if isinstance(licences, str) else licences:
        sub(parent, "TypAg", licence)


def _euros(amount: Amount) -> Decimal:
    return Decimal(money(amount))  # money() refuses floats and sub-cent amounts first


def _balance(
    parent: etree._Element, tags: tuple[str, str, str], move: BalanceMove, sign: int
) -> None:
    """Before, movement, after; sign -1 for a debit. A triple that does not add up is a ledger
    bug the regulator would read as a missing movement, so it never reaches the vault."""
    before, amount, after = (_euros(value) for value in (move.before, move.amount, move.after))
    if before + sign * amount != after:
        raise ValueError(f"{tags[0]} {before} {'+-'[sign < 0]} {amount} is not {tags[2]} {after}")
    for tag, value in zip(tags, (move.before, move.amount, move.after)):
        sub(parent, tag, money(value))


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97 == 1): the annex says the format "must" be respected and
    the schema's pattern only checks the shape."""
    if not iban.isascii() or not iban.isalnum() or len(iban) < 15:
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged.upper())) % 97 == 1


# --- builders --------------------------------------------------------------------------------

def _infoperso(tag: str, header: Header, info: PersonalInfo) -> etree._Element:
    root = build_header(tag, header)
    _licences(root, info.licences)
    for name, text in (("Login", info.login), ("Pseudo", info.pseudo), ("Nom", info.birth_name),
                       ("Prenom", info.first_name)):
        sub(root, name, text)
    optional(root, "Prenom", info.other_first_names)
    sub(root, "Civilite", info.civility)
    sub(root, "DateN", date_aaaammjj(info.birth_date))
    sub(root, "VilleN", info.birth_town)
    sub(root, "DptN", info.birth_department)
    sub(root, "PaysN", info.birth_country)
    for line in info.address:
        sub(root, "Ad", line)
    sub(root, "CP", info.postal_code)
    sub(root, "Ville", info.town)
    sub(root, "Pays", info.country)
    optional(root, "TelFixe", info.phone_fixed)
    optional(root, "TelMob", info.phone_mobile)
    sub(root, "Email", info.email)
    return _validated(root)


def build_ouvinfoperso(header: Header, info: PersonalInfo) -> etree._Element:
    return _infoperso("OUVINFOPERSO", header, info)


def build_modifinfoperso(header: Header, info: PersonalInfo) -> etree._Element:
    return _infoperso("MODIFINFOPERSO", header, info)


def build_cpteref(header: Header, account: PaymentAccount) -> etree._Element:
    if (account.iban is None) == (account.reference is None):
        raise ValueError("CPTEREF needs exactly one of an IBAN and a non-IBAN reference")
    if account.iban is not None and not iban_is_valid(account.iban):
        raise ValueError(f"IBAN {account.iban!r} fails its ISO 13616 check digits")
    root = build_header("CPTEREF", header)
    _licences(root, account.licences)
    sub(root, "PspCib", account.cib)
    sub(root, "PspLib", account.label)
    optional(root, "PspCpteRef", account.reference)
    optional(root, "PspIban", account.iban)
    return _validated(root)


def _ceiling(parent: etree._Element, tag: str, ceiling: Ceiling) -> None:
    node = sub(parent, tag)
    sub(node, "MontantMM", money(ceiling.amount))
    sub(node, "PeriodeMM", ceiling.period)
    optional(node, "TypeJeuMM", ceiling.game_type)


def build_prefcpte(header: Header, preferences: Preferences) -> etree._Element:
    root = build_header("PREFCPTE", header)
    _licences(root, preferences.licences)
    if preferences.account_min is not None or preferences.account_max is not None:
        compte = sub(root, "Compte")
        optional_money(compte, "Min", preferences.account_min)
        optional_money(compte, "Max", preferences.account_max)
    for ceiling in preferences.stake_ceilings:
        _ceiling(root, "MiseMax", ceiling)
    for ceiling in preferences.deposit_ceilings:
        _ceiling(root, "DepotMax", ceiling)
    for moderator in preferences.moderators:
        node = sub(root, "Moderateur")
        sub(node, "LibelModer", moderator.label)
        # a count (hours, sessions) or an amount: written as given, no cents forced
        sub(node, "SeuilModer", decimal_text(moderator.threshold))
        sub(node, "PeriodeModer", moderator.period)
        sub(node, "TypeJeuModer", moderator.game_type)
    return _validated(root)


def _licences_only(tag: str, header: Header, licences: tuple[Licence, ...]) -> etree._Element:
    root = build_header(tag, header)
    _licences(root, licences)
    return _validated(root)


def build_okcondgene(header: Header, licences: tuple[Licence, ...]) -> etree._Element:
    return _licences_only("OKCONDGENE", header, licences)


def build_ouvokconfirme(header: Header, licences: tuple[Licence, ...]) -> etree._Element:
    return _licences_only("OUVOKCONFIRME", header, licences)


def build_accesrefuse(header: Header, refusal: AccessRefusal) -> etree._Element:
    root = build_header("ACCESREFUSE", header)
    _licences(root, refusal.licence)
    optional(root, "CauseRefus", refusal.cause)
    optional(root, "TypeRefus", refusal.kind)
    return _validated(root)


def build_autointerdiction(header: Header, exclusion: SelfExclusion) -> etree._Element:
    if isinstance(exclusion.days, bool) or not isinstance(exclusion.days, int):
        raise TypeError(f"Duree is a whole number of days, not {exclusion.days!r}")
    root = build_header("AUTOINTERDICTION", header)
    _licences(root, exclusion.licence)
    sub(root, "TypInterdiction", exclusion.kind)
    sub(root, "DateModif", date_aammjjhhmm(exclusion.taken_at or header.date_evt))
    sub(root, "Duree", str(exclusion.days))
    return _validated(root)


def build_cloturedem(
    header: Header, licences: tuple[Licence, ...], solde: Amount
) -> etree._Element:
    root = build_header("CLOTUREDEM", header)
    _licences(root, licences)
    sub(root, "SoldeClos", money(solde))
    return _validated(root)


_SOLDE = ("SoldeAvant", "SoldeMouvement", "SoldeApres")


def build_cptealim(header: Header, deposit: Deposit) -> etree._Element:
    root = build_header("CPTEALIM", header)
    _licences(root, deposit.licences)
    if deposit.requested_at is not None:
        sub(root, "DateDemande", date_aammjjhhmm(deposit.requested_at))
    if deposit.effective_at is not None:
        sub(root, "DateEffective", date_aammjjhhmm(deposit.effective_at))
    _balance(root, _SOLDE, deposit.solde, +1)
    sub(root, "MoyenPaiement", deposit.means)
    sub(root, "TypeMoyenPaiement", deposit.means_type)
    return _validated(root)


def build_cpteretrait(header: Header, withdrawal: AccountMovement) -> etree._Element:
    root = build_header("CPTERETRAIT", header)
    _licences(root, withdrawal.licences)
    _balance(root, _SOLDE, withdrawal.solde, -1)
    return _validated(root)


def build_cpteabond(header: Header, top_up: SoldeTopUp) -> etree._Element:
    root = build_header("CPTEABOND", header)
    _licences(root, top_up.licence)
    _balance(root, ("SoldeAvant", "MontAbond", "SoldeApres"), top_up.solde, +1)
    sub(root, "Info", top_up.info)
    sub(root, "TypeAbondement", top_up.kind)
    return _validated(root)


def build_cptealimope(header: Header, credit: BonusCredit) -> etree._Element:
    root = build_header("CPTEALIMOPE", header)
    _licences(root, credit.licence)
    _balance(root, ("BonusAvant", "BonusMouvement", "BonusApres"), credit.bonus, +1)
    sub(root, "BonusNom", credit.name)
    return _validated(root)


def build_cpteajustope(header: Header, adjustment: Adjustment) -> etree._Element:
    # The annex makes each triple "obligatoire lorsque l'ajustement concerne le compartiment";
    # TypeAjust names the compartment (Bonus: bonus; Lot: neither; the rest: solde).
    needs_solde = adjustment.kind not in ("Bonus", "Lot")
    if needs_solde and adjustment.solde is None:
        raise ValueError(f"a {adjustment.kind} adjustment corrects the solde compartment: give it")
    if adjustment.kind == "Bonus" and adjustment.bonus is None:
        raise ValueError("a Bonus adjustment corrects the bonus compartment: give it")
    root = build_header("CPTEAJUSTOPE", header)
    _licences(root, adjustment.licences)
    sub(root, "Info", adjustment.info)
    sub(root, "TypeAjust", adjustment.kind)
    if adjustment.solde is not None:
        _balance(root, ("SoldeAvant", "Ajustement", "SoldeApres"), adjustment.solde, +1)
    if adjustment.bonus is not None:
        _balance(root, ("BonusAvant", "BonusAjust", "BonusApres"), adjustment.bonus, +1)
    return _validated(root)


def build_lotnature(header: Header, prizes: PrizesInKind) -> etree._Element:
    root = build_header("LOTNATURE", header)
    _licences(root, prizes.licence)
    for prize in prizes.prizes:
        node = sub(root, "LotN")
        sub(node, "Nom", prize.name)
        sub(node, "Valeur", money(prize.value))
    return _validated(root)

"""The identity form of an account opening (annex 1.3.3.a), checked for syntax and coherence.

The annex asks that OUVINFOPERSO be recorded only once the platform holds the entries for
valid and coherent (1.1.3): every rule here runs before anything is recorded, and every
failure names its field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

MIN_AGE = 18

# Letters of the Latin alphabets (accents included), space, apostrophe, hyphen.
_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿŒœÆæ' -]{1,64}$")
_PLACE = re.compile(r"^[0-9A-Za-zÀ-ÖØ-öø-ÿŒœÆæ' .()/-]{1,64}$")
_DEPARTMENT = re.compile(r"^[0-9][0-9AB][0-9]?$")
_POSTAL = re.compile(r"^(([0-8][0-9AB])|(9[0-9AB]))[0-9]{3}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_LOGIN = re.compile(r"^[A-Za-z0-9._@-]{3,64}$")
_PSEUDO = re.compile(r"^[A-Za-z0-9_-]{3,32}$")
_FRENCH_DEPARTMENTS = (
    {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {str(n) for n in range(971, 977)}
)
FRANCE = "FRANCE"
FOREIGN_DEPARTMENT = "99"


class IdentityError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Identity:
    login: str
    pseudo: str
    birth_name: str
    first_names: tuple[str, ...]  # first name first: the banned-players check uses it
    civility: str
    birth_date: date
    birth_town: str
    birth_department: str
    birth_country: str
    address: tuple[str, ...]
    postal_code: str
    town: str
    country: str
    email: str
    phone_fixed: str | None = None
    phone_mobile: str | None = None

    @property
    def first_name(self) -> str:
        return self.first_names[0]

    @property
    def other_first_names(self) -> str | None:
        """The annex's second Prenom: the other first names separated by a space."""
        return " ".join(self.first_names[1:]) or None

    @property
    def birthplace(self) -> str:
        """Town for a French birth, country otherwise (HashJoueur's LIEU, annex 1.3.1)."""
        return self.birth_town if _is_france(self.birth_country) else self.birth_country


def _is_france(country: str) -> bool:
    return _fold(country) == FRANCE


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class _Collector:
    problems: dict[str, str] = field(default_factory=dict)

    def text(self, form: Mapping[str, Any], name: str, pattern: re.Pattern[str], what: str,
             optional: bool = False) -> str | None:
        value = form.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems[name] = "required"
            return None
        value = " ".join(value.split())
        if not pattern.match(value):
            self.problems[name] = what
            return None
        return value


def parse_identity(form: Mapping[str, Any], today: date) -> Identity:
    """Validate a submitted form; raise IdentityError listing every problem at once."""
    c = _Collector()
    known = {"login", "pseudo", "birth_name", "first_names", "civility", "birth_date", "birth_town",
             "birth_department", "birth_country", "address", "postal_code", "town", "country", "email",
             "phone_fixed", "phone_mobile"}
    for extra in sorted(set(form) - known):
        c.problems[extra] = "unknown field"
    login = c.text(form, "login", _LOGIN, "3 to 64 characters: letters, digits, . _ @ -")
    pseudo = c.text(form, "pseudo", _PSEUDO, "3 to 32 characters: letters, digits, _ -")
    birth_name = c.text(form, "birth_name", _NAME, "letters, spaces, apostrophes and hyphens only")
    first_names: tuple[str, ...] = ()
    raw_first = form.get("first_names")
    if not isinstance(raw_first, list) or not raw_first or not all(isinstance(n, str) for n in raw_first):
        c.problems["first_names"] = "a list of first names, the first one first"
    else:
        cleaned = tuple(" ".join(n.split()) for n in raw_first)
        if not all(_NAME.match(n) for n in cleaned) or len(" ".join(cleaned)) > 256:
            c.problems["first_names"] = "letters, spaces, apostrophes and hyphens only (256 characters at most)"
        else:
            first_names = cleaned
    civility = form.get("civility")
    if civility not in ("M", "Mme"):
        c.problems["civility"] = "M or Mme"
    birth_date: date | None = None
    raw_date = form.get("birth_date")
    try:
        birth_date = date.fromisoformat(raw_date) if isinstance(raw_date, str) and len(raw_date) == 10 else None
    except ValueError:
        birth_date = None
    if birth_date is None:
        c.problems["birth_date"] = "a real date, YYYY-MM-DD"
    elif birth_date > today:
        c.problems["birth_date"] = "in the future"
    elif _age(birth_date, today) < MIN_AGE:
        c.problems["birth_date"] = f"players must be at least {MIN_AGE}"
    elif birth_date.year < 1900:
        c.problems["birth_date"] = "before 1900"
    birth_town = c.text(form, "birth_town", _PLACE, "a place name")
    birth_country = c.text(form, "birth_country", _PLACE, "a country name")
    birth_department = c.text(form, "birth_department", _DEPARTMENT, "a French department code, or 99 abroad")
    if birth_country and birth_department:
        if _is_france(birth_country) and birth_department not in _FRENCH_DEPARTMENTS:
            c.problems["birth_department"] = "not a French department (01-95, 2A, 2B, 971-976)"
        elif not _is_france(birth_country) and birth_department != FOREIGN_DEPARTMENT:
            c.problems["birth_department"] = "must be 99 for a birth outside France"
    address: tuple[str, ...] = ()
    raw_address = form.get("address")
    if not isinstance(raw_address, list) or not 1 <= len(raw_address) <= 8 or not all(
        isinstance(line, str) and 0 < len(line.strip()) <= 256 and line.isprintable() for line in raw_address
    ):
        c.problems["address"] = "1 to 8 printable lines of at most 256 characters"
    else:
        address = tuple(" ".join(line.split()) for line in raw_address)
    postal_code = c.text(form, "postal_code", _POSTAL, "5 characters: a French postal code, or 99xxx abroad")
    town = c.text(form, "town", _PLACE, "a place name")
    country = c.text(form, "country", _PLACE, "a country name")
    if country and postal_code:
        abroad = postal_code.startswith("99")
        if _is_france(country) == abroad:
            c.problems["postal_code"] = "a French postal code in France, the 99xxx code of the country abroad"
    email = c.text(form, "email", _EMAIL, "an e-mail address")
    if email and len(email) > 64:
        c.problems["email"] = "64 characters at most"
    phones = {}
    for name in ("phone_fixed", "phone_mobile"):
        raw = form.get(name)
        if raw is None:
            phones[name] = None
            continue
        digits = re.sub(r"[ .()-]", "", raw) if isinstance(raw, str) else None
        if digits is None or not _PHONE.match(digits):
            c.problems[name] = "a phone number (digits, optional leading +)"
        else:
            phones[name] = digits
    if c.problems:
        raise IdentityError(c.problems)
    assert login and pseudo and birth_name and birth_date and birth_town and birth_department
    assert birth_country and postal_code and town and country and email and isinstance(civility, str)
    return Identity(
        login=login, pseudo=pseudo, birth_name=birth_name, first_names=first_names, civility=civility,
        birth_date=birth_date, birth_town=birth_town, birth_department=birth_department,
        birth_country=birth_country, address=address, postal_code=postal_code, town=town, country=country,
        email=email, phone_fixed=phones["phone_fixed"], phone_mobile=phones["phone_mobile"],
    )


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

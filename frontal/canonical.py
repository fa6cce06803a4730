"""Canonical forms of the annex: identities (HashJoueur, banned-players key), names, money, dates.

- HashJoueur (1.3.1): uppercase hex SHA-1 of PRENOM + NOM + AAAAMMJJ + LIEU, each put in
  canonical form (LIEU: the town for a French birth, the country otherwise).
- Banned-players key (3.2.2): lowercase hex HMAC-SHA1(secret, PRENOM + NOM + AAAAMMJJ).
- Canonical form (3.2.2): diacritics removed with the annex's table (its ``U -> 0x45`` is a
  typo for ``0x55``, SPEC-NOTES 2), upper case, only ``[A-Z]`` kept; ``[0-9A-Z' -]`` for
  fixture and participant names (Renc, Part).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal

# Ligatures first: NFKD does not split them.
_LIGATURES = {"Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "ß": "SS"}
_NOT_LETTER = re.compile(r"[^A-Z]")
_NOT_NAME = re.compile(r"[^0-9A-Z' -]")


def strip_diacritics(text: str) -> str:
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def canonical_letters(text: str) -> str:
    """Upper case ``[A-Z]`` only: first names, birth names, birthplaces."""
    return _NOT_LETTER.sub("", strip_diacritics(text).upper())


def canonical_name(text: str) -> str:
    """Upper case ``[0-9A-Z' -]``: fixtures (Renc) and participants (Part), spaces folded."""
    kept = _NOT_NAME.sub("", strip_diacritics(text).upper())
    return " ".join(kept.split())


def _date8(born: date | str) -> str:
    if isinstance(born, date):
        return born.strftime("%Y%m%d")
    if not re.fullmatch(r"\d{8}", born):
        raise ValueError(f"birth date must be AAAAMMJJ, got {born!r}")
    return born


def banned_player_canonical(first_name: str, birth_name: str, born: date | str) -> str:
    return canonical_letters(first_name) + canonical_letters(birth_name) + _date8(born)


def banned_player_key(secret: str, first_name: str, birth_name: str, born: date | str) -> str:
    """The DNSBL query key of annex 3.2.2 (lowercase hex HMAC-SHA1)."""
    message = banned_player_canonical(first_name, birth_name, born).encode("ascii")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha1).hexdigest()


def hash_joueur(first_name: str, birth_name: str, born: date | str, birthplace: str) -> str:
    """HashJoueur of annex 1.3.1 (uppercase hex SHA-1)."""
    text = banned_player_canonical(first_name, birth_name, born) + canonical_letters(birthplace)
    return hashlib.sha1(text.encode("ascii")).hexdigest().upper()


_CENT = Decimal("0.01")


def money(amount: Decimal | int) -> str:
    """``125.67``: a point, no thousands separator, exactly two decimals; integers are cents."""
    if isinstance(amount, bool):
        raise TypeError("not an amount")
    if isinstance(amount, int):  # cents: integer arithmetic, exact and cheap
        sign, cents = ("-" if amount < 0 else ""), abs(amount)
        return f"{sign}{cents // 100}.{cents % 100:02d}"
    elif isinstance(amount, Decimal):
        value = amount
    else:
        raise TypeError(f"amounts are Decimal or integer cents, not {type(amount).__name__}")
    if not value.is_finite():
        raise ValueError("not a finite amount")
    quantized = value.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    if quantized != value:
        raise ValueError(f"{value} has more than two decimals")
    return f"{quantized:f}"


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime: the annex's dates are UTC")
    return at.astimezone(timezone.utc)


def date_aammjjhhmmss(at: datetime) -> str:
    return _utc(at).strftime("%y%m%d%H%M%S")


def date_aammjjhhmm(at: datetime) -> str:
    return _utc(at).strftime("%y%m%d%H%M")


def date_aaaammjj(day: date) -> str:
    return day.strftime("%Y%m%d")

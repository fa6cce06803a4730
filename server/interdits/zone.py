"""A banned-players zone held in memory and served with twisted.names.

The regulator's servers answer ``<hmac>.interdits-arjel.fr`` with ``A 127.0.0.42`` and a
``TXT`` birthplace for a listed person, ``NXDOMAIN`` otherwise (annex 3.2.4). Staging and
tests run this same answer shape from a CSV of banned persons.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from twisted.names import authority, common, dns

LISTED_ADDRESS = "127.0.0.42"
DEFAULT_ZONE = "interdits-arjel.fr"
_KEY = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class BannedPerson:
    first_name: str
    birth_name: str
    birth_date: str  # AAAAMMJJ
    birthplace: str  # the TXT string: "COMMUNE;DEPARTEMENT;PAYS;" or "COMMUNE;PAYS;"


class ListError(ValueError):
    pass


def read_banned_csv(path: Path) -> list[BannedPerson]:
    """``prenom;nom;AAAAMMJJ;lieu`` per line (lieu as the TXT record: ``COMMUNE;DEPT;PAYS;``).

    The birthplace keeps its own semicolons, so everything after the third field is it.
    Lines starting with ``#`` and blank lines are ignored.
    """
    people: list[BannedPerson] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ListError(f"cannot read {path}: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = next(csv.reader([line], delimiter=";"))
        if len(fields) < 4:
            raise ListError(f"{path}:{number}: expected prenom;nom;AAAAMMJJ;lieu")
        first, birth_name, date = (f.strip() for f in fields[:3])
        birthplace = ";".join(fields[3:]).strip()
        if not re.fullmatch(r"\d{8}", date):
            raise ListError(f"{path}:{number}: birth date must be AAAAMMJJ, got {date!r}")
        if not first or not birth_name or not birthplace:
            raise ListError(f"{path}:{number}: empty field")
        people.append(BannedPerson(first, birth_name, date, birthplace))
    return people


class BannedZone(authority.FileAuthority):
    """An authority for the zone built from keys, not from a zone file."""

    def __init__(self, zone: str, listed: dict[str, str]) -> None:
        common.ResolverBase.__init__(self)
        self._cache = {}
        origin = zone.encode("ascii")
        soa = dns.Record_SOA(
            mname=b"ns." + origin, rname=b"hostmaster." + origin, serial=1,
            refresh=3600, retry=600, expire=86400, minimum=60, ttl=60,
        )
        self.soa = (origin, soa)
        self.records = {origin: [soa, dns.Record_NS(b"ns." + origin, ttl=60)]}
        for key, birthplace in listed.items():
            if not _KEY.match(key):
                raise ListError(f"not a lowercase hex HMAC-SHA1 key: {key!r}")
            name = key.encode("ascii") + b"." + origin
            self.records[name] = [
                dns.Record_A(LISTED_ADDRESS, ttl=60),
                dns.Record_TXT(birthplace.encode("utf-8"), ttl=60),
            ]

    @classmethod
    def from_people(
        cls, zone: str, people: Iterable[BannedPerson], key_of: Callable[[str, str, str], str]
    ) -> "BannedZone":
        return cls(zone, {key_of(p.first_name, p.birth_name, p.birth_date): p.birthplace for p in people})

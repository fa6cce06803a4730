"""Ask the banned-players DNSBL whether a person is listed; fail closed.

A listed key answers A 127.0.0.42; the person is banned only if the TXT birthplace
matches theirs (two people can share first name, birth name and date). NXDOMAIN means not
listed. Anything else (timeout, refused, server failure, an unexpected address) is not an
answer: the check raises :class:`CheckUnavailable` and the caller must not let the person
through.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Any

from twisted.internet.defer import Deferred
from twisted.names import client, dns, error

from server.interdits.zone import DEFAULT_ZONE, LISTED_ADDRESS


class Verdict(Enum):
    NOT_LISTED = "not_listed"
    BANNED = "banned"
    HOMONYM = "homonym"  # listed key, another birthplace


class CheckUnavailable(Exception):
    """No usable answer: retry later; never treat as 'not listed'."""


@dataclass(frozen=True)
class Resolution:
    verdict: Verdict
    listed_birthplace: str | None


def _canonical_place(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return ";".join(part.strip() for part in kept.replace("'", " ").split(";") if part.strip())


def birthplace_matches(listed: str, place: str) -> bool:
    """Compare two ``COMMUNE;[DEPT;]PAYS;`` strings, ignoring case, accents and the final ``;``."""
    return _canonical_place(listed) == _canonical_place(place)


class BannedPlayersChecker:
    def __init__(self, servers: list[tuple[str, int]], zone: str = DEFAULT_ZONE,
                 timeout: tuple[int, ...] = (1, 3), reactor: Any = None) -> None:
        self.zone = zone
        # twisted.names rotates through the servers on retries: round-robin as 3.2 asks.
        # No servers given: the system's resolvers.
        self._resolver = (client.Resolver(servers=servers, timeout=timeout, reactor=reactor) if servers
                          else client.Resolver(resolv="/etc/resolv.conf", timeout=timeout, reactor=reactor))
        self._timeout = timeout

    def check(self, key: str, birthplace: str) -> "Deferred[Resolution]":
        return Deferred.fromCoroutine(self._check(key, birthplace))

    async def _check(self, key: str, birthplace: str) -> Resolution:
        name = f"{key}.{self.zone}"
        try:
            answers, _auth, _add = await self._resolver.lookupAddress(name, timeout=self._timeout)
        except error.DomainError:
            return Resolution(Verdict.NOT_LISTED, None)
        except Exception as exc:  # timeouts, refusals, server failures: no answer
            raise CheckUnavailable(f"banned-players lookup failed: {exc.__class__.__name__}") from exc
        addresses = [a.payload.dottedQuad() for a in answers if a.type == dns.A]
        if addresses != [LISTED_ADDRESS]:
            raise CheckUnavailable(f"unexpected answer {addresses!r} for {name}")
        try:
            texts, _auth, _add = await self._resolver.lookupText(name, timeout=self._timeout)
        except Exception as exc:
            raise CheckUnavailable(f"banned-players TXT lookup failed: {exc.__class__.__name__}") from exc
        places = [b"".join(t.payload.data).decode("utf-8", "replace") for t in texts if t.type == dns.TXT]
        if not places:
            raise CheckUnavailable(f"listed key without birthplace for {name}")
        for listed in places:
            if birthplace_matches(listed, birthplace):
                return Resolution(Verdict.BANNED, listed)
        return Resolution(Verdict.HOMONYM, places[0])

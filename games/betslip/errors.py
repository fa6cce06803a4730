"""The two ways a slip is turned down.

``SlipError``: the slip does not describe a bet (odds below 1, an X sur Y with X >= Y, a
banker in a single...). It names the field at fault the way the calculator's JSON spells it
(``legs[2].odds``), so a support agent or a client can point at it.

``SlipRefused``: the slip is a bet, but the operator's rules turn it down (two outcomes of
one fixture combined, too many lines, stake under the minimum, beyond the annex's limits).
``code`` is stable for clients; ``message`` is for people.
"""

from __future__ import annotations


class SlipError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SlipRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

"""The one error the tournament core raises: a request the rules refuse, with the reason."""

from __future__ import annotations


class TournamentError(ValueError):
    """Refused, with the reason; nothing was changed."""

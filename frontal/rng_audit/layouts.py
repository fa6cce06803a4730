"""How each deal's hand used its deck, as the monthly report takes it.

Kept apart from ``report`` so that the server's collection side (``server.rng_audit.store``)
does not import scipy with the statistics: a server start pays for what it uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DealLayouts:
    """Per deal, how its hand used the deck (games.dealer.DealEnd); ``seats`` 0: no end known."""

    seats: np.ndarray
    sample_index: np.ndarray
    streets: np.ndarray

"""Which variant a table deals, asked by the collector at each deal.

The dealer's observer only gets the deal id (``<table_id>-<hex>``), and games/dealer.py's
protocol stays as it is: the variant comes from the rooms, which register a table's
runtime before its first hand. Cash tables: ``CardRoom.tables[table_id]``; tournament
tables are ``<tournament_id>-<number>`` and play their tournament's variant.
"""

from __future__ import annotations

from typing import Any, Callable

from server.rng_audit.collector import VariantOf


def room_variants(cardroom: Callable[[], Any], tournaments: Callable[[], Any]) -> VariantOf:
    """``cardroom``/``tournaments`` return the rooms: they are built after the dealer they use."""

    def variant_of(table_id: str) -> str | None:
        runtime = cardroom().tables.get(table_id)
        if runtime is not None:
            return str(runtime.config.rules.variant.name)
        running = tournaments().running.get(table_id.rpartition("-")[0])
        if running is not None:
            return str(running.variant.name)
        return None

    return variant_of

"""The rooms tell the collector a table's variant: cash tables by id, tournament tables by their tournament."""

from __future__ import annotations

from types import SimpleNamespace

from games.hand import Variant
from server.rng_audit.wiring import room_variants


def test_variant_of_cash_and_tournament_tables() -> None:
    cash = SimpleNamespace(config=SimpleNamespace(rules=SimpleNamespace(variant=Variant.OMAHA)))
    cardroom = SimpleNamespace(tables={"t1a2b3c4": cash})
    tournaments = SimpleNamespace(running={"Tdeadbeef": SimpleNamespace(variant=Variant.HOLDEM)})
    variant_of = room_variants(lambda: cardroom, lambda: tournaments)
    assert variant_of("t1a2b3c4") == "OMAHA"
    assert variant_of("Tdeadbeef-2") == "HOLDEM"
    assert variant_of("t0000000") is None and variant_of("Tcafe0000-1") is None

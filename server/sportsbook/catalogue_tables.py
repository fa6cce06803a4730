"""Sportsbook catalogue tables: what the operator offers, and how it changed over time.

Sports fixtures and horse races share one fixtures table (a race is a fixture of kind
``race``, in a meeting), so markets, selections, odds, suspensions and results work the
same for both. Nothing here is ever updated in place without a history row beside it:
odds (``sportsbook_odds``), suspensions (``sportsbook_suspensions``) and results
(``sportsbook_results``, one version per correction) keep every state with its time, so a
bet can be checked against the catalogue as it stood when it was struck.

Odds are integer hundredths (``340`` is 3.40): exact, and the annex's examples have two
decimals. Codes are the nomenclature's (``[#0-9A-Z-]``, 32 at most).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Date, ForeignKey, Integer, String, Table, UniqueConstraint, false,
)

from server.db.tables import metadata
from server.db.types import BIG_ID, UTCDateTime

CODE = 32  # nomenclature codes

# A competition is one Evnt of the nomenclature under the operator's own name (the name
# goes into Renc: "Championnat d'Italie" for the generic 7CDZS). Cat, Disc and Genre are
# the defaults of its fixtures.
sportsbook_competitions = Table(
    "sportsbook_competitions",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("sport", String(CODE), nullable=False),
    Column("event", String(CODE), nullable=False),
    Column("category", String(CODE), nullable=True),
    Column("disciplines", String(4 * (CODE + 1)), nullable=False),  # space-separated, 0 to 4 codes
    Column("gender", String(1), nullable=False),  # H, F, M
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
)

# A race meeting: the "R1" of PAHIMISE's Nom "R1C3", at a venue on a day.
sportsbook_meetings = Table(
    "sportsbook_meetings",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("venue", String(64), nullable=False),
    Column("day", Date(), nullable=False),
    Column("number", Integer(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
    UniqueConstraint("day", "number"),
)

# A fixture (rencontre) or a race. Its id is LigSp/Tech, common to every player's bets.
sportsbook_fixtures = Table(
    "sportsbook_fixtures",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),  # sport | race
    Column("competition_id", BIG_ID, ForeignKey("sportsbook_competitions.id"), nullable=True, index=True),
    Column("meeting_id", BIG_ID, ForeignKey("sportsbook_meetings.id"), nullable=True, index=True),
    Column("race_number", Integer(), nullable=True),  # the "C3" of "R1C3"
    Column("name", String(256), nullable=False),  # as shown to the player
    Column("canonical_name", String(256), nullable=False),  # Renc (races: the name's canonical form)
    Column("category", String(CODE), nullable=True),
    Column("disciplines", String(4 * (CODE + 1)), nullable=False),
    Column("gender", String(1), nullable=True),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("suspended", Boolean(), nullable=False, server_default=false()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
)

# Two participants of a match (numbers 1 and 2), or the runners of a race (their numbers).
sportsbook_participants = Table(
    "sportsbook_participants",
    metadata,
    Column("fixture_id", BIG_ID, ForeignKey("sportsbook_fixtures.id"), primary_key=True),
    Column("number", Integer(), primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),  # as shown to the player
    Column("canonical_name", String(64), nullable=False),
    Column("part", String(64), nullable=False),  # LigSp/Part: the dictionary's code, else the canonical name
    # Non-runners: bets struck before the withdrawal lose this deduction (Rule 4), in pence per pound.
    Column("withdrawn_at", UTCDateTime(), nullable=True),
    Column("rule4_deduction", Integer(), nullable=True),
    Column("withdrawn_by", String(64), nullable=True),
)

sportsbook_markets = Table(
    "sportsbook_markets",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("fixture_id", BIG_ID, ForeignKey("sportsbook_fixtures.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # sport | win | each_way
    Column("label", String(128), nullable=False),
    Column("live", Boolean(), nullable=False),  # bets stay open once the fixture has started
    Column("suspended", Boolean(), nullable=False, server_default=false()),
    # Each-way place terms: a fraction of the win odds for the first `places` places.
    Column("place_numerator", Integer(), nullable=True),
    Column("place_denominator", Integer(), nullable=True),
    Column("places", Integer(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
)

# One PronoSp: (type_res, choix) first, then the other elementary prognostics of the union
# (`extra`, JSON [[type_res, choix], ...]: the annex's handicap is HGY5U CHELSEA + 6H9OE 1).
sportsbook_selections = Table(
    "sportsbook_selections",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("market_id", BIG_ID, ForeignKey("sportsbook_markets.id"), nullable=False),
    Column("position", Integer(), nullable=False),
    Column("label", String(128), nullable=False),
    Column("type_res", String(CODE), nullable=True),  # races: none (PAHIMISE has no TypeRes)
    Column("choix", String(64), nullable=False),  # races: the runner's number
    Column("extra", String(1024), nullable=False),
    Column("runner", Integer(), nullable=True),
    Column("odds", Integer(), nullable=False),  # current, hundredths
    Column("odds_since", UTCDateTime(), nullable=False),
    UniqueConstraint("market_id", "position"),
)

# Every price a selection ever had, the first one included: the odds at time T are the
# row with the latest valid_from <= T.
sportsbook_odds = Table(
    "sportsbook_odds",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("selection_id", BIG_ID, ForeignKey("sportsbook_selections.id"), nullable=False, index=True),
    Column("odds", Integer(), nullable=False),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("changed_by", String(64), nullable=False),
)

# Suspensions and reopenings of a fixture (market_id null) or of one market.
sportsbook_suspensions = Table(
    "sportsbook_suspensions",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("fixture_id", BIG_ID, ForeignKey("sportsbook_fixtures.id"), nullable=False, index=True),
    Column("market_id", BIG_ID, ForeignKey("sportsbook_markets.id"), nullable=True),
    Column("suspended", Boolean(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("changed_by", String(64), nullable=False),
    Column("reason", String(256), nullable=True),
)

# A market's result; a correction is a new version and the one it replaces keeps its rows.
sportsbook_results = Table(
    "sportsbook_results",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column("market_id", BIG_ID, ForeignKey("sportsbook_markets.id"), nullable=False),
    Column("version", Integer(), nullable=False),  # 1, then one more per correction
    Column("void", Boolean(), nullable=False),
    Column("result_at", UTCDateTime(), nullable=False),  # PASPGAIN DateHeure: when the result was official
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("reason", String(256), nullable=True),  # why a correction was made
    Column("superseded_at", UTCDateTime(), nullable=True),
    UniqueConstraint("market_id", "version"),
)

# Per selection and leg (``win``; each-way bets also ``place``): win, lose, void, half_win,
# half_lose. A dead heat pays the stake times places / tied at full odds.
sportsbook_result_lines = Table(
    "sportsbook_result_lines",
    metadata,
    Column("result_id", BIG_ID, ForeignKey("sportsbook_results.id"), primary_key=True),
    Column("selection_id", BIG_ID, ForeignKey("sportsbook_selections.id"), primary_key=True),
    Column("leg", String(8), primary_key=True),
    Column("outcome", String(10), nullable=False),
    Column("dead_heat_tied", Integer(), nullable=True),
    Column("dead_heat_places", Integer(), nullable=True),
    Column("position", Integer(), nullable=True),  # races: the finishing position
)

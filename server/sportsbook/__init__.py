"""The sportsbook: its catalogue (competitions, fixtures, races, markets, odds, results).

See docs/sportsbook.md. Bet placement and settlement read the catalogue through
``server.sportsbook.for_bets``.
"""

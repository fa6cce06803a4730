"""Sit-and-go and scheduled multi-table tournaments: the rules, without I/O or clock.

The server drives these objects and writes the regulator's traces from what they report
(POINSCRIT and POCAVE from :class:`~games.tournament.ledger.Purchase`, POGAIN from
:class:`~games.tournament.places.Award` with the finishing position, POANNUL from
:class:`~games.tournament.ledger.Refund`). Times are passed in; chance comes only from an
injected chooser (production: the ``secrets`` module). Money is integer cents, chips
integers.

- ``structure``: blind levels, by time or by hands, and breaks;
- ``ledger``: buy-ins, rebuys, add-ons, fees and the prize pool;
- ``registration``: windows, field limits, unregistration, start or cancel;
- ``rebuys``: when a rebuy or the add-on is allowed;
- ``payouts``: payout tables by field size, amounts to the cent;
- ``places``: finishing places from busts, ties and shared prizes;
- ``chooser``: the injected randomness and the shuffles made with it;
- ``seating``: first seating, positions, the worst seat for a moved player;
- ``balancing``: breaking and balancing tables;
- ``hand_for_hand``: bubble play in rounds;
- ``cancellation``: refund or chip-count split;
- ``tournament``: the running tournament tying them together.

The rules chosen, each detailed in its module:

- prizes: floor of each place's share, leftover cents to the highest places; fees are
  the operator's, the prize pool is every price paid (buy-ins, rebuys, add-ons);
- busts in one hand (or one hand-for-hand round): the bigger starting stack finishes
  higher; equal starting stacks tie and split the places they cover, odd cents by
  bigger stack, then table, then seat; a tie's position is its best place;
- moves: tables break when the players fit in one table less (fewest players, highest
  number); then the biggest table's next big blind goes to the smallest table's seat that
  posts the big blind soonest, until sizes differ by at most one; only tables between
  hands give players;
- hand-for-hand from places paid + 1 players until the bubble bursts at a round's end;
- cancellation once started: ``REFUND`` everything paid, or ``CHIP_SPLIT`` (prizes
  already won, the next prize guaranteed to those in the money, the rest by chips).
"""

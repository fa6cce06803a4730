"""Statistical audit of the dealer's shuffles (annex section 2 item 7, section 4.3.2.c).

Everything in this package is a pure function of numpy arrays: no I/O, no clock, no
randomness. numpy and scipy are used for statistics only; dealing stays in
``games.dealer``.

Card encoding is the project's own (``games.cards``): ``card = rank_index * 4 + suit_index``
with rank index 0 = deuce .. 12 = ace and suit index 0..3 = clubs, diamonds, hearts, spades
(``games.cards.SUITS == "cdhs"``). The collection side's month array ``decks`` (uint8,
shape (N, 52)) uses that same encoding: ``decks[d, p]`` is the card at position ``p`` of
deal ``d``, position 0 dealt first. No conversion is done anywhere in this package.
"""

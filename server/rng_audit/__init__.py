"""RNG audit, collection side (annex 4.3.2.c): every deck the dealer uses, kept per month.

``codec``: how a deal is written down (card bytes, variant codes, months);
``collector``: the dealer's observer, buffering on the reactor and flushing in the DB pool;
``tables``/``store``: the monthly chunks and counters, and their readers;
``wiring``: how the server's rooms tell the collector which variant a table plays.
"""

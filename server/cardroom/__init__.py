"""The card room: cash tables (and, later, tournaments) on the poker engine."""

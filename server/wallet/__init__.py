"""The wallet: a double-entry ledger in integer cents, and the money movements built on it."""

"""The banned-players list (annex 3.2): a DNSBL lookup, and a staging DNS server for it."""

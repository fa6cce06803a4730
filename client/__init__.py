"""Bundled clients: the bot library (tests, load runs) and the terminal client."""

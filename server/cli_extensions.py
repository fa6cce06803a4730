"""Subcommands of ``croupier`` that live with the packages they drive."""

from __future__ import annotations

from typing import Any, Callable

EXTENSIONS: list[Callable[[Any], None]] = []

"""Subcommands of ``croupier`` that live with the packages they drive."""

from __future__ import annotations

from typing import Any, Callable

from server import hand_cli, rng_audit_cli, slip_cli, vault_cli
from server.interdits import serve as interdits_serve

EXTENSIONS: list[Callable[[Any], None]] = [interdits_serve.add_arguments, vault_cli.add_arguments,
                                           hand_cli.add_arguments, slip_cli.add_arguments,
                                           rng_audit_cli.add_arguments]

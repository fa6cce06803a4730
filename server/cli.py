"""The ``croupier`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from server.config import ConfigError, load_config


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="TOML configuration file")
    parser.add_argument("--data-dir", help="data directory (database, keys, logs); default ./var")
    parser.add_argument("--db-url", help="database URL; default SQLite in the data directory")
    parser.add_argument(
        "--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override any setting"
    )


def _load(args: argparse.Namespace, extra: dict[str, Any] | None = None) -> Any:
    overrides: dict[str, Any] = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects SECTION.KEY=VALUE, got {item!r}")
        overrides[key.strip()] = value
    if args.data_dir:
        overrides["server.data_dir"] = args.data_dir
    if args.db_url:
        overrides["db.url"] = args.db_url
    overrides.update({k: v for k, v in (extra or {}).items() if v is not None})
    return load_config(args.config, overrides=overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    from server.app import serve

    config = _load(
        args,
        {
            "ws.host": args.ws_host,
            "ws.port": args.ws_port,
            "api.host": args.api_host,
            "api.port": args.api_port,
        },
    )
    return serve(config)


def cmd_play(args: argparse.Namespace) -> int:
    from client.terminal import run_terminal

    return run_terminal(args.url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from server.app import prepare_data_dir
    from server.db import migrate
    from server.db.engine import make_engine

    config = _load(args)
    prepare_data_dir(config)
    engine = make_engine(config.database_url())
    migrate.upgrade(engine)
    print(f"database at revision {migrate.current_revision(engine)}")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from server import operator_tokens
    from server.app import prepare_data_dir
    from server.db import migrate
    from server.db.engine import make_engine

    config = _load(args)
    prepare_data_dir(config)
    engine = make_engine(config.database_url())
    migrate.upgrade(engine)
    try:
        with engine.begin() as connection:
            token = operator_tokens.create_token(connection, args.name, args.role)
    except operator_tokens.TokenError as exc:
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


def cmd_ledger_check(args: argparse.Namespace) -> int:
    from server.db.engine import make_engine
    from server.wallet import ledger

    config = _load(args)
    engine = make_engine(config.database_url())
    with engine.begin() as connection:
        report = ledger.check(connection)
    print(f"{report.accounts} accounts, {report.transactions} transactions, {report.entries} entries")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print("books balance" if report.ok else f"{len(report.problems)} problem(s)")
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="croupier", description="Croupier game server and tools")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    _config_arguments(serve)
    serve.add_argument("--ws-host")
    serve.add_argument("--ws-port", type=int, help="players' WebSocket port (0: any free port)")
    serve.add_argument("--api-host")
    serve.add_argument("--api-port", type=int, help="operator API port (0: any free port)")
    serve.set_defaults(func=cmd_serve)

    play = commands.add_parser("play", help="interactive terminal client")
    play.add_argument("--url", default="ws://127.0.0.1:8765/ws")
    play.set_defaults(func=cmd_play)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    upgrade = db.add_parser("upgrade", help="apply migrations")
    _config_arguments(upgrade)
    upgrade.set_defaults(func=cmd_db_upgrade)

    token = commands.add_parser("token", help="operator API tokens").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="create a bearer token and print it once")
    _config_arguments(create)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=["operator", "auditor"])
    create.set_defaults(func=cmd_token_create)

    ledger_cmd = commands.add_parser("ledger", help="the wallet's books").add_subparsers(dest="ledger_command", required=True)
    check = ledger_cmd.add_parser("check", help="prove every balance equals its entries and the books balance")
    _config_arguments(check)
    check.set_defaults(func=cmd_ledger_check)

    for register in _extensions():
        register(commands)
    return parser


def _extensions() -> list[Callable[[Any], None]]:
    """Subcommands contributed by the other packages (vault tools, PKI, hand replay...)."""
    from server.cli_extensions import EXTENSIONS

    return EXTENSIONS


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"croupier: configuration: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""``croupier pki init`` and ``croupier vault export|verify|seal``: the frontal's tools.

``vault verify`` is the regulator's tool: it reads only the export file, the regulator's
private key and the CA certificate, never the platform's configuration or database. Its
defaults may come from a TOML file (``--config``, table ``[verify]``), which flags
override. Exit status: 0 verified, 1 verification failed (the first broken lot is named),
2 unusable input (file, key, passphrase, arguments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa


def _config_args(parser: argparse.ArgumentParser) -> None:
    from server.cli import _config_arguments

    _config_arguments(parser)


def _server_config(args: argparse.Namespace) -> Any:
    from server.cli import _load

    return _load(args)


def cmd_pki_init(args: argparse.Namespace) -> int:
    from frontal.pki import PkiError, init_pki
    from server.app import prepare_data_dir
    from server.frontal_link import pki_directory

    config = _server_config(args)
    prepare_data_dir(config)
    try:
        paths = init_pki(pki_directory(config), hostname=args.hostname, force=args.force)
    except PkiError as exc:
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    print(f"staging PKI in {paths.directory}:")
    for name in ("ca", "vault-signing", "tsa", "regulator-encryption", "tls-server", "tls-client"):
        print(f"  {paths.cert(name)}")
    print(f"  regulator key passphrase: {paths.regulator_passphrase}")
    return 0


def _date(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def cmd_vault_export(args: argparse.Namespace) -> int:
    from frontal.vault.export import ExportError, ExportRange, export
    from server.db.engine import make_engine

    config = _server_config(args)
    try:
        wanted = ExportRange(args.from_id, args.to_id, args.from_date, args.to_date)
        engine = make_engine(config.database_url())
        with open(args.out, "w", encoding="utf-8") as out:
            count = export(engine, args.coffre or config.get("vault.id_coffre"), wanted, out)
    except ExportError as exc:
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    print(f"{count} lots written to {args.out}")
    return 0


def cmd_vault_seal(args: argparse.Namespace) -> int:
    from server.db import migrate
    from server.db.engine import make_engine
    from server.frontal_link import Frontal

    config = _server_config(args)
    engine = make_engine(config.database_url())
    migrate.upgrade(engine)
    frontal = Frontal(config, engine, reactor=None)
    sealed = frontal.sealer.seal_ready(force=args.all)
    frontal.writer.stop()
    print(f"{sealed} lots sealed")
    return 0


def _verify_settings(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if args.config:
        try:
            settings = dict(tomllib.loads(Path(args.config).read_text(encoding="utf-8")).get("verify", {}))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SystemExit(f"croupier: --config: {exc}") from None
        unknown = set(settings) - {"key", "ca", "passphrase_file", "passphrase_env", "out", "in"}
        if unknown:
            raise SystemExit(f"croupier: --config: unknown setting(s) {', '.join(sorted(unknown))} in [verify]")
    for name in ("key", "ca", "passphrase_file", "passphrase_env", "out", "in"):
        value = getattr(args, name if name != "in" else "input")
        if value is not None:
            settings[name] = value
    missing = [f"--{n.replace('_', '-')}" for n in ("in", "key", "ca", "out") if not settings.get(n)]
    if missing:
        raise SystemExit(f"croupier: vault verify needs {', '.join(missing)} (flag or [verify] in --config)")
    return settings


def _passphrase(settings: dict[str, Any], from_stdin: bool) -> bytes | None:
    if settings.get("passphrase_file"):
        return Path(settings["passphrase_file"]).read_bytes().rstrip(b"\r\n")
    if settings.get("passphrase_env"):
        value = os.environ.get(settings["passphrase_env"])
        if value is None:
            raise SystemExit(f"croupier: environment variable {settings['passphrase_env']} is not set")
        return value.encode()
    if from_stdin:
        return sys.stdin.buffer.readline().rstrip(b"\r\n")
    return None


def cmd_vault_verify(args: argparse.Namespace) -> int:
    from frontal.pki import PkiError, load_certificates, load_private_key
    from frontal.vault.verify import LotWriter, VerificationFailed, verify_export

    settings = _verify_settings(args)
    started = time.monotonic()
    try:
        key = load_private_key(Path(settings["key"]), _passphrase(settings, args.passphrase_stdin))
        roots = load_certificates(Path(settings["ca"]))
    except (PkiError, OSError) as exc:
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    if not isinstance(key, rsa.RSAPrivateKey):
        print("croupier: the regulator's key must be an RSA key (RSA-OAEP)", file=sys.stderr)
        return 2
    try:
        writer = LotWriter(settings["out"])
    except OSError as exc:
        print(f"croupier: --out: {exc}", file=sys.stderr)
        return 2
    try:
        with open(settings["in"], encoding="utf-8") as source:
            report = verify_export(source, key, roots, progress=print if args.verbose else None, emit=writer)
    except OSError as exc:
        writer.discard()
        print(f"croupier: {exc}", file=sys.stderr)
        return 2
    except VerificationFailed as exc:
        writer.discard()
        print(f"VERIFICATION FAILED: {exc}", file=sys.stderr)
        return 1
    writer.commit()
    anchor = "from the vault's first event" if report.chain_anchored else "from the first exported lot"
    print(f"OK: {report.lots} lots, IDEvt {report.first_id}-{report.last_id}, {report.events} events verified "
          f"(chain checked {anchor}); {report.requested_count} requested events written to {settings['out']}")
    if args.verbose:
        print(f"{time.monotonic() - started:.2f} s")
    return 0


def add_arguments(commands: Any) -> None:
    pki = commands.add_parser("pki", help="staging keys and certificates").add_subparsers(dest="pki_command", required=True)
    init = pki.add_parser("init", help="create the staging CA, vault, TSA, regulator and TLS certificates")
    _config_args(init)
    init.add_argument("--hostname", default="localhost", help="name in the TLS server certificate")
    init.add_argument("--force", action="store_true", help="replace an existing PKI")
    init.set_defaults(func=cmd_pki_init)

    vault = commands.add_parser("vault", help="the regulator's vault").add_subparsers(dest="vault_command", required=True)
    export = vault.add_parser("export", help="write the sealed lots covering a range (adjacent lots included)")
    _config_args(export)
    export.add_argument("--from-id", type=int)
    export.add_argument("--to-id", type=int)
    export.add_argument("--from-date", type=_date, help="ISO 8601, UTC unless an offset is given")
    export.add_argument("--to-date", type=_date)
    export.add_argument("--coffre", type=int, help="IDCoffre (default: vault.id_coffre)")
    export.add_argument("--out", required=True)
    export.set_defaults(func=cmd_vault_export)

    seal = vault.add_parser("seal", help="seal the lots that are due now (--all: every journaled event)")
    _config_args(seal)
    seal.add_argument("--all", action="store_true")
    seal.set_defaults(func=cmd_vault_seal)

    verify = vault.add_parser("verify", help="decrypt and verify an export; write the requested events")
    verify.add_argument("--config", help="TOML file whose [verify] table gives defaults")
    verify.add_argument("--in", dest="input")
    verify.add_argument("--key", help="the regulator's private key (PEM)")
    verify.add_argument("--ca", help="trusted CA certificate(s) (PEM)")
    verify.add_argument("--out", help="where to write the requested events as a <Lot>")
    source = verify.add_mutually_exclusive_group()
    source.add_argument("--passphrase-file")
    source.add_argument("--passphrase-env", metavar="VARIABLE")
    source.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase's first line from stdin")
    verify.add_argument("-v", "--verbose", action="store_true")
    verify.set_defaults(func=cmd_vault_verify)

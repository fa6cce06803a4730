"""Server configuration: embedded defaults < TOML file < environment < command-line flags.

Every setting has a dotted name (``ws.port``); the environment spells it
``CROUPIER_WS__PORT`` (double underscore between section and key) and a flag sets it with
``--set ws.port=9000`` or its dedicated option. Values from the environment and flags are
strings, converted to the type of the embedded default so a typo fails at start-up, not
in the middle of a hand.
"""

from __future__ import annotations

import copy
import ipaddress
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "CROUPIER_"

DEFAULTS: dict[str, dict[str, Any]] = {
    "server": {
        "data_dir": "./var",
        "operator_id": "0000",  # the four-digit IDOper the regulator assigns
        "shutdown_grace_seconds": 10.0,
    },
    "ws": {
        "host": "127.0.0.1",
        "port": 8765,
        "path": "/ws",
        "max_frame_bytes": 65536,
        "rate_per_second": 20.0,  # sustained messages per connection
        "rate_burst": 40,
        "rate_strikes_before_close": 20,
        "trusted_proxies": [],  # addresses whose X-Forwarded-For is believed
        "idle_timeout_seconds": 0,  # 0: never close idle connections
    },
    "api": {
        "host": "127.0.0.1",
        "port": 8766,
    },
    "db": {
        "url": "",  # empty: SQLite file in the data directory
        "pool_threads": 0,  # 0: 1 for SQLite (one writer), 8 otherwise
    },
    "accounts": {
        "scrypt_n": 16384,
        "scrypt_r": 8,
        "scrypt_p": 1,
        "max_sessions_per_player": 8,
        "terms_version": "2026-01",  # the terms a player accepts (OKCONDGENE)
        "licences": ["PS", "PH", "JC"],  # the licences (TypAg) this platform offers
        "per_licence": False,  # False: one account serves them all; True: one account (and solde) per licence
        "limit_increase_delay_hours": 48,  # a raised moderator applies after this delay; a lowered one at once
    },
    "interdits": {
        "servers": [],  # resolvers for the banned-players zone, "host:port"; empty: /etc/resolv.conf
        "zone": "interdits-arjel.fr",
        "secret": "staging-secret",  # the HMAC key ARJEL gives the operator (annex 3.2.2)
        "recheck_poll_seconds": 3600.0,  # how often to look whether the monthly re-check is due
    },
    "notices": {
        "max_pending_per_player": 1000,
    },
    "cardroom": {
        "between_hands_seconds": 2.0,  # pause after a hand, so players see its result
        "absent_seconds": 120.0,  # a disconnected player is stood up and paid back after this
    },
    "rng_audit": {
        "enabled": True,  # the SPEC requires it in production: every deck dealt is kept (annex 4.3.2.c)
        "flush_deals": 2000,  # write after this many deals, or
        "flush_seconds": 5.0,  # this often: a crash loses at most this much (server/rng_audit/collector.py)
    },
    "vault": {
        "id_coffre": 1,
        "lot_max_events": 100,  # annex 1.1: at most 100 events a lot
        "lot_max_seconds": 300.0,  # and a lot at least every 300 s while events wait
        "pki_dir": "pki",  # relative to data_dir; created by `croupier pki init` or the first serve
        "tsa_url": "",  # RFC 3161 authority; empty: the local staging authority (pki_dir/tsa.*)
        "translation_table": "",  # annex 1.5 CSV; empty: traces stored with their full names
        "held_per_session": 8,  # sensor: traces held awaiting the platform, per session
        "held_total": 10000,  # and overall (annex 3.1.1, saturation)
    },
    "sportsbook": {
        "nomenclature_file": "",  # the operator's codes (kind;code;label;sport;options), added to the shipped ones
        "max_lines": 5000,  # per slip, each-way parts counted
        "min_line_stake_cents": 10,  # MiseBase
        "max_stake_cents": 100000,  # per bet (a slip of singles: per single)
        "stake_top_up_percent": "0",  # the operator adds this share to each line's stake (MiseAbond)
        "allow_same_fixture": False,  # two legs on one fixture in one line (related outcomes)
        # The operator's LUCKY15/31/63 offer (docs/betslip.md): "1" and "0" mean none.
        "lucky_bonus_one_winner_odds_multiplier": "1",
        "lucky_bonus_all_winners_pct": "0",
        "lucky_bonus_requires_all_run": True,
    },
    "log": {
        "level": "info",
        "file": "croupier.log.jsonl",  # relative to data_dir; empty for stdout only
    },
}


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class Config:
    values: Mapping[str, Mapping[str, Any]]

    def get(self, dotted: str) -> Any:
        section, key = _split(dotted)
        return self.values[section][key]

    @property
    def data_dir(self) -> Path:
        return Path(self.get("server.data_dir")).expanduser()

    def database_url(self) -> str:
        url = str(self.get("db.url"))
        if url:
            return url
        return f"sqlite:///{(self.data_dir / 'croupier.sqlite3').resolve()}"

    def trusted_proxies(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(p, strict=False) for p in self.get("ws.trusted_proxies")]


def _split(dotted: str) -> tuple[str, str]:
    section, sep, key = dotted.partition(".")
    if not sep or section not in DEFAULTS or key not in DEFAULTS[section]:
        raise ConfigError(f"unknown setting {dotted!r}")
    return section, key


def _coerce(dotted: str, raw: Any) -> Any:
    section, key = _split(dotted)
    default = DEFAULTS[section][key]
    if isinstance(raw, str) and not isinstance(default, str):
        try:
            if isinstance(default, bool):
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                return raw.lower() in ("true", "1", "yes")
            if isinstance(default, int):
                return int(raw)
            if isinstance(default, float):
                return float(raw)
            if isinstance(default, list):
                return [item.strip() for item in raw.split(",") if item.strip()]
        except ValueError:
            raise ConfigError(f"{dotted}: {raw!r} is not a {type(default).__name__}") from None
    if isinstance(default, bool) != isinstance(raw, bool):
        raise ConfigError(f"{dotted}: expected {type(default).__name__}, got {raw!r}")
    if isinstance(default, (int, float)) and not isinstance(raw, (int, float)):
        raise ConfigError(f"{dotted}: expected a number, got {raw!r}")
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list) and not isinstance(raw, list):
        raise ConfigError(f"{dotted}: expected a list, got {raw!r}")
    if isinstance(default, str) and not isinstance(raw, str):
        raise ConfigError(f"{dotted}: expected a string, got {raw!r}")
    return raw


def load_config(
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    values = copy.deepcopy(DEFAULTS)
    if toml_path is not None:
        try:
            document = tomllib.loads(Path(toml_path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {toml_path}: {exc}") from None
        for section, table in document.items():
            if not isinstance(table, dict):
                raise ConfigError(f"{toml_path}: [{section}] must be a table")
            for key, raw in table.items():
                dotted = f"{section}.{key}"
                values[section][key] = _coerce(dotted, raw)
    env = os.environ if environ is None else environ
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        dotted = f"{section}.{key}"
        values[section][key] = _coerce(dotted, raw)
    for dotted, raw in (overrides or {}).items():
        section, key = _split(dotted)
        values[section][key] = _coerce(dotted, raw)
    config = Config(values)
    _check(config)
    return config


def _check(config: Config) -> None:
    operator_id = config.get("server.operator_id")
    if not (len(operator_id) == 4 and operator_id.isdigit()):
        raise ConfigError("server.operator_id must be four digits (the regulator's IDOper)")
    for dotted in ("ws.port", "api.port"):
        if not 0 <= config.get(dotted) <= 65535:
            raise ConfigError(f"{dotted} must be a TCP port")
    if config.get("ws.max_frame_bytes") < 1024:
        raise ConfigError("ws.max_frame_bytes must be at least 1024")
    if config.get("ws.rate_per_second") <= 0 or config.get("ws.rate_burst") < 1:
        raise ConfigError("ws.rate_per_second and ws.rate_burst must be positive")
    try:
        config.trusted_proxies()
    except ValueError as exc:
        raise ConfigError(f"ws.trusted_proxies: {exc}") from None
    if not config.get("ws.path").startswith("/"):
        raise ConfigError("ws.path must start with /")

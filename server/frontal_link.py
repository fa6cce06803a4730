"""The server's side of the frontal: sensor, vault journal and sealer, started with the app.

The PKI is created on the first start if the data directory has none (staging); the
sealer's first pass seals whatever a previous process journaled and did not seal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from twisted.logger import Logger

from frontal.pki import PkiPaths, init_pki
from frontal.sensor import Sensor, SensorLimits
from frontal.translation import TagTable, TranslationTableError
from frontal.vault.journal import VaultWriter
from frontal.vault.keys import load_vault_keys
from frontal.vault.sealer import SealerThread
from frontal.vault.sealing import LotPolicy, LotSealer
from server.config import Config, ConfigError

log = Logger(namespace="server.frontal")


def pki_directory(config: Config) -> Path:
    path = Path(config.get("vault.pki_dir")).expanduser()
    return path if path.is_absolute() else config.data_dir / path


def load_translation(config: Config) -> TagTable | None:
    name = config.get("vault.translation_table")
    if not name:
        return None
    try:
        table = TagTable.parse(Path(name).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"vault.translation_table: cannot read {name}: {exc}") from exc
    except TranslationTableError as exc:
        raise ConfigError(f"vault.translation_table: {exc}") from exc
    for warning in table.warnings:
        log.warn("translation table: {warning}", warning=warning)
    return table


class Frontal:
    def __init__(self, config: Config, engine: Engine, reactor: Any) -> None:
        directory = pki_directory(config)
        if not PkiPaths(directory).complete:
            init_pki(directory, force=True)
            log.info("created the staging PKI in {path}", path=str(directory))
        keys = load_vault_keys(directory, config.get("vault.tsa_url"))
        self.id_coffre: int = config.get("vault.id_coffre")
        self.sealer = LotSealer(
            engine, signer=keys.signer, recipient=keys.recipient, id_coffre=self.id_coffre,
            policy=LotPolicy(config.get("vault.lot_max_events"), config.get("vault.lot_max_seconds")),
            translation=load_translation(config))
        self.sealer_thread = SealerThread(self.sealer, seal_at_start=True)
        self.writer = VaultWriter(engine, reactor, self.id_coffre, on_commit=self.sealer_thread.journaled)
        self.sensor = Sensor(self.writer, SensorLimits(config.get("vault.held_per_session"),
                                                       config.get("vault.held_total")))

    def start(self) -> None:
        self.sealer_thread.start()

    def stop(self) -> None:
        """After the last deposit: journal what is queued, then seal it all."""
        self.writer.stop()
        self.sealer_thread.stop(seal_everything=True)

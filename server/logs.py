"""twisted.logger set-up: JSON lines to a file in the data directory, text to stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from twisted.logger import (
    FilteringLogObserver,
    LogLevel,
    LogLevelFilterPredicate,
    globalLogBeginner,
    jsonFileLogObserver,
    textFileLogObserver,
)

_LEVELS = {"debug": LogLevel.debug, "info": LogLevel.info, "warn": LogLevel.warn, "error": LogLevel.error}


def start_logging(data_dir: Path, file_name: str, level: str) -> IO[str] | None:
    if level not in _LEVELS:
        raise ValueError(f"log.level must be one of {', '.join(_LEVELS)}")
    predicate = LogLevelFilterPredicate(defaultLogLevel=_LEVELS[level])
    observers = [FilteringLogObserver(textFileLogObserver(sys.stderr), [predicate])]
    handle: IO[str] | None = None
    if file_name:
        handle = open(data_dir / file_name, "a", encoding="utf-8")
        observers.append(FilteringLogObserver(jsonFileLogObserver(handle, recordSeparator=""), [predicate]))
    globalLogBeginner.beginLoggingTo(observers, redirectStandardIO=False)
    return handle

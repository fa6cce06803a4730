"""A synchronous face on the bot client: the reactor runs in a background thread.

Tests and the terminal client are easiest to read as straight-line code; this module
runs the one reactor of the process in a daemon thread and hands calls to it.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, TypeVar

from twisted.internet import reactor
from twisted.internet.defer import Deferred
from twisted.internet.threads import blockingCallFromThread

from client import bot

T = TypeVar("T")
_started = threading.Lock()
_thread: threading.Thread | None = None


def ensure_reactor() -> None:
    global _thread
    with _started:
        if _thread is None:
            _thread = threading.Thread(
                target=reactor.run, kwargs={"installSignalHandlers": False}, name="reactor", daemon=True  # type: ignore[attr-defined]
            )
            _thread.start()


def in_reactor(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    ensure_reactor()
    return blockingCallFromThread(reactor, fn, *args, **kwargs)


class BlockingClient:
    def __init__(self, url: str, *, auto_ack: bool = False, headers: dict[str, str] | None = None) -> None:
        self.messages: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self.protocol: bot.BotProtocol = in_reactor(
            lambda: bot.connect(url, auto_ack=auto_ack, on_message=self.messages.put, headers=headers)
        )

    def request(self, kind: str, timeout: float = 30, **fields: Any) -> dict[str, Any]:
        return self._wait(lambda: self.protocol.request(kind, **fields), timeout)

    def call(self, kind: str, timeout: float = 30, **fields: Any) -> dict[str, Any]:
        return self._wait(lambda: self.protocol.call(kind, **fields), timeout)

    def hello(self) -> dict[str, Any]:
        return self.call("hello", version=bot.PROTOCOL_VERSION, client="croupier-blocking")

    def send_raw(self, payload: str | bytes, binary: bool = False) -> None:
        in_reactor(self.protocol.send_raw, payload, binary)

    def next_message(self, timeout: float = 10) -> dict[str, Any]:
        """The next message that was not the reply to a request (notices, errors to raw frames)."""
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        in_reactor(self.protocol.sendClose)

    def wait_closed(self, timeout: float = 10) -> tuple[bool, int | None, str | None]:
        return self._wait(lambda: self.protocol.closed, timeout)

    def _wait(self, make: Callable[[], "Deferred[T]"], timeout: float) -> T:
        def with_timeout() -> "Deferred[T]":
            d = make()
            d.addTimeout(timeout, reactor)
            return d

        return in_reactor(with_timeout)  # type: ignore[no-any-return]

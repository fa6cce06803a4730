"""An asynchronous protocol client (autobahn on Twisted) for bots, tests and load runs."""

from __future__ import annotations

import itertools
import json
from typing import Any, Callable
from urllib.parse import urlparse

from autobahn.twisted.websocket import WebSocketClientFactory, WebSocketClientProtocol, connectWS
from twisted.internet.defer import Deferred

PROTOCOL_VERSION = 1


class ServerError(Exception):
    """The server answered a request with an error message."""

    def __init__(self, message: dict[str, Any]) -> None:
        super().__init__(f"{message.get('code')}: {message.get('message')}")
        self.code = message.get("code")
        self.reply = message


class BotProtocol(WebSocketClientProtocol):
    factory: "BotFactory"

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._pending: dict[Any, Deferred[dict[str, Any]]] = {}
        self.unsolicited: list[dict[str, Any]] = []
        self.closed: Deferred[tuple[bool, int | None, str | None]] = Deferred()

    def onOpen(self) -> None:
        self.factory.opened.callback(self)

    def onMessage(self, payload: bytes, isBinary: bool) -> None:
        message = json.loads(payload)
        waiter = self._pending.pop(message.get("id"), None) if message.get("type") in ("result", "error") else None
        if waiter is not None:
            waiter.callback(message)
            return
        if message.get("type") == "notice" and self.factory.auto_ack:
            self.call("ack", notice_id=message["notice_id"]).addErrback(lambda _: None)
        self.unsolicited.append(message)
        if self.factory.on_message is not None:
            self.factory.on_message(message)

    def onClose(self, wasClean: bool, code: int | None, reason: str | None) -> None:
        pending, self._pending = self._pending, {}
        for waiter in pending.values():
            waiter.errback(ConnectionError(f"connection closed ({code}: {reason})"))
        if not self.factory.opened.called:
            self.factory.opened.errback(ConnectionError(f"connection failed ({code}: {reason})"))
        self.closed.callback((wasClean, code, reason))

    def request(self, kind: str, **fields: Any) -> "Deferred[dict[str, Any]]":
        """Send a message and fire with the server's reply (result or error)."""
        rid = fields.pop("id", None) or next(self._ids)
        waiter: Deferred[dict[str, Any]] = Deferred()
        self._pending[rid] = waiter
        self.send_raw(json.dumps({"type": kind, "id": rid, **fields}))
        return waiter

    def call(self, kind: str, **fields: Any) -> "Deferred[dict[str, Any]]":
        """Like request, but fire with the result's data or fail with ServerError."""

        def unwrap(reply: dict[str, Any]) -> dict[str, Any]:
            if reply["type"] == "error":
                raise ServerError(reply)
            return reply.get("data", {})

        return self.request(kind, **fields).addCallback(unwrap)

    def send_raw(self, payload: str | bytes, binary: bool = False) -> None:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        self.sendMessage(data, isBinary=binary)


class BotFactory(WebSocketClientFactory):
    protocol = BotProtocol

    def __init__(self, url: str, auto_ack: bool, on_message: Callable[[dict[str, Any]], None] | None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(url, headers=headers or {})
        self.auto_ack = auto_ack
        self.on_message = on_message
        self.opened: Deferred[BotProtocol] = Deferred()
        self.setProtocolOptions(autoPingInterval=0, maxFramePayloadSize=0, maxMessagePayloadSize=0)

    def clientConnectionFailed(self, connector: Any, reason: Any) -> None:
        if not self.opened.called:
            self.opened.errback(ConnectionError(f"cannot connect: {reason.getErrorMessage()}"))


def connect(
    url: str,
    *,
    auto_ack: bool = False,
    on_message: Callable[[dict[str, Any]], None] | None = None,
    headers: dict[str, str] | None = None,
    reactor: Any = None,
) -> "Deferred[BotProtocol]":
    """Open a WebSocket to the server; fires with the protocol once open (no hello sent)."""
    factory = BotFactory(url, auto_ack, on_message, headers)
    if reactor is not None:
        factory.reactor = reactor
    parsed = urlparse(url)
    if parsed.scheme not in ("ws", "wss"):
        raise ValueError(f"not a WebSocket URL: {url}")
    connectWS(factory, timeout=10)
    return factory.opened


async def greet(protocol: BotProtocol, client: str = "croupier-bot") -> dict[str, Any]:
    return await protocol.call("hello", version=PROTOCOL_VERSION, client=client)

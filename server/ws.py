"""The players' WebSocket endpoint (autobahn on Twisted)."""

from __future__ import annotations

import json
from typing import Any

from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.types import ConnectionDeny, ConnectionRequest
from twisted.internet.defer import Deferred
from twisted.logger import Logger

from server.accounts import Session
from server.handlers import Dispatcher
from server.hub import Hub
from server.protocol.addresses import Network, client_address, peer_host
from server.protocol.errors import ProtocolError
from server.protocol.ratelimit import TokenBucket
from server.protocol.schemas import MessageValidator, request_id

log = Logger(namespace="croupier.ws")

# Application close codes (RFC 6455 reserves 4000-4999 for applications; autobahn lets an
# application send only 1000 and 3000-4999). Mirrors of 1001 "going away" and 1008 "policy".
CLOSE_GOING_AWAY = 4001
CLOSE_POLICY = 4008
CLOSE_BLOCKED = 4003  # the account was blocked (banned-players re-check) while connected


class PlayerProtocol(WebSocketServerProtocol):
    factory: "PlayerFactory"

    def __init__(self) -> None:
        super().__init__()
        self.greeted = False
        self.session: Session | None = None
        self.ip = ""
        self._bucket: TokenBucket | None = None
        self._strikes = 0
        self._busy: Deferred[None] | None = None
        self._queue: list[dict[str, Any]] = []

    @property
    def player_id(self) -> str | None:
        return self.session.player.id if self.session is not None else None

    # autobahn callbacks

    def onConnect(self, request: ConnectionRequest) -> None:
        if self.factory.closing:
            raise ConnectionDeny(503, "server shutting down")
        forwarded = [request.headers["x-forwarded-for"]] if "x-forwarded-for" in request.headers else []
        self.ip = client_address(peer_host(request.peer), forwarded, self.factory.trusted_proxies)

    def onOpen(self) -> None:
        self._bucket = TokenBucket(self.factory.rate_per_second, self.factory.rate_burst, self.factory.clock())
        self.factory.hub.opened(self)

    def onMessage(self, payload: bytes, isBinary: bool) -> None:
        assert self._bucket is not None
        if not self._bucket.take(self.factory.clock()):
            self._strikes += 1
            if self._strikes >= self.factory.strikes_before_close:
                log.warn("closing flooding connection from {ip}", ip=self.ip)
                self.sendClose(CLOSE_POLICY, "rate limit exceeded repeatedly")
                return
            # The id, when it can be read, lets the client match the refusal to its request.
            self._error(ProtocolError("rate_limited", "too many messages; this one was dropped"), _peek_id(payload))
            return
        if isBinary:
            self._error(ProtocolError("binary_frame", "send JSON text frames"), None)
            return
        if len(payload) > self.factory.max_frame_bytes:
            self._error(
                ProtocolError(
                    "frame_too_large", f"{len(payload)} bytes; the limit is {self.factory.max_frame_bytes}"
                ),
                None,
            )
            return
        try:
            message = self.factory.validator.parse(payload)
        except ProtocolError as exc:
            self._error(exc, _peek_id(payload))
            return
        if self.factory.closing:
            self._error(ProtocolError("shutting_down", "the server is stopping"), message["id"])
            return
        self._queue.append(message)
        if self._busy is None:
            # Set before starting: the coroutine may finish synchronously.
            self._busy = Deferred()
            Deferred.fromCoroutine(self._drain())

    def onClose(self, wasClean: bool, code: int | None, reason: str | None) -> None:
        self._queue.clear()
        self.factory.hub.closed(self)
        if self.session is not None:
            if self._busy is not None:
                self._busy.addBoth(lambda _: self._end_session())
            else:
                self._end_session()

    # internals

    def _end_session(self) -> None:
        d = Deferred.fromCoroutine(self.factory.dispatcher.end_session(self, "disconnect"))
        self.factory.track(d)
        d.addErrback(lambda f: log.failure("closing session failed", f))

    async def _drain(self) -> None:
        try:
            while self._queue:
                message = self._queue.pop(0)
                try:
                    reply = await self.factory.dispatcher.dispatch(self, message)
                except ProtocolError as exc:
                    self._error(exc, message["id"])
                except Exception:
                    log.failure("handling {type} failed", type=message["type"])
                    self._error(ProtocolError("internal_error", "the server failed on this message"), message["id"])
                else:
                    if reply is not None:
                        self.send_message(reply)
        finally:
            done, self._busy = self._busy, None
            if done is not None:
                done.callback(None)

    def in_flight(self) -> "Deferred[None] | None":
        return self._busy

    def _error(self, error: ProtocolError, rid: Any) -> None:
        self.send_message(error.to_message(rid))

    def send_message(self, message: dict[str, Any]) -> None:
        if self.state == WebSocketServerProtocol.STATE_OPEN:
            self.sendMessage(json.dumps(message, separators=(",", ":")).encode("utf-8"))


def _peek_id(payload: bytes) -> Any:
    try:
        return request_id(json.loads(payload))
    except (ValueError, UnicodeDecodeError):
        return None


class PlayerFactory(WebSocketServerFactory):
    protocol = PlayerProtocol

    def __init__(
        self,
        *,
        hub: Hub,
        dispatcher: Dispatcher,
        validator: MessageValidator,
        trusted_proxies: list[Network],
        max_frame_bytes: int,
        rate_per_second: float,
        rate_burst: int,
        strikes_before_close: int,
        clock: Any,
    ) -> None:
        super().__init__()
        self.hub = hub
        self.dispatcher = dispatcher
        self.validator = validator
        self.trusted_proxies = trusted_proxies
        self.max_frame_bytes = max_frame_bytes
        self.rate_per_second = rate_per_second
        self.rate_burst = rate_burst
        self.strikes_before_close = strikes_before_close
        self.clock = clock
        self.closing = False
        self._background: set[Deferred[Any]] = set()
        # Frames up to 4x the limit are read and answered with frame_too_large; beyond
        # that autobahn drops the connection (1009) rather than buffer an attacker's data.
        hard_limit = max_frame_bytes * 4
        self.setProtocolOptions(
            maxFramePayloadSize=hard_limit,
            maxMessagePayloadSize=hard_limit,
            autoPingInterval=30,
            autoPingTimeout=60,
            openHandshakeTimeout=10,
            closeHandshakeTimeout=5,
        )

    def track(self, d: "Deferred[Any]") -> None:
        self._background.add(d)
        d.addBoth(lambda result: (self._background.discard(d), result)[1])

    def pending_work(self) -> list["Deferred[Any]"]:
        work = list(self._background)
        for connection in self.hub.connections:
            busy = connection.in_flight()  # type: ignore[attr-defined]
            if busy is not None:
                work.append(busy)
        return work

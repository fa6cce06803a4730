"""What each validated player message does.

Handlers run one at a time per connection (the connection serialises them), so a
``login`` followed at once by ``lobby`` sees the session it opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol

from twisted.internet.threads import deferToThread
from twisted.logger import Logger

from frontal.sensor import SensorSaturated
from server import accounts
from server.accounts import Session
from server.db.pool import Database
from server.hub import Hub
from server.notices import NoticeService
from server.passwords import ScryptParams, hash_password
from server.protocol.errors import ProtocolError

PROTOCOL_VERSIONS = frozenset({1})
SERVER_NAME = "croupier/0.1.0"

log = Logger(namespace="croupier.players")


class ConnectionState(Protocol):
    greeted: bool
    session: Session | None
    ip: str

    @property
    def player_id(self) -> str | None: ...

    def send_message(self, message: dict[str, Any]) -> None: ...


# A handler returns the reply data, or None when it has already replied itself.
Handler = Callable[[ConnectionState, dict[str, Any]], Awaitable[dict[str, Any] | None]]

# Messages allowed while notices wait for acknowledgement (SPEC-NOTES 3).
_ALLOWED_WITH_PENDING = frozenset({"ack", "logout", "ping", "hello"})


@dataclass
class Limits:
    max_frame_bytes: int
    rate_per_second: float
    rate_burst: int


class Dispatcher:
    def __init__(
        self,
        db: Database,
        hub: Hub,
        notices: NoticeService,
        scrypt: ScryptParams,
        max_sessions: int,
        limits: Limits,
    ) -> None:
        self.db = db
        self.hub = hub
        self.notices = notices
        self.scrypt = scrypt
        self.max_sessions = max_sessions
        self.limits = limits
        self.offer_providers: dict[str, Callable[[Session], Awaitable[Any]]] = {}
        self.login_gate: Callable[[ConnectionState, accounts.Player], Awaitable[None]] | None = None
        self._handlers: dict[str, Handler] = {
            "hello": self.hello,
            "register": self.register,
            "login": self.login,
            "logout": self.logout,
            "ack": self.ack,
            "ping": self.ping,
            "lobby": self.lobby,
        }
        self._public = frozenset({"hello", "register", "login", "ping"})

    def add_handler(self, kind: str, handler: Handler, public: bool = False) -> None:
        """Messages that live with other modules (accounts, games...)."""
        self._handlers[kind] = handler
        if public:
            self._public = self._public | {kind}

    async def dispatch(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any] | None:
        kind = message["type"]
        if not connection.greeted and kind != "hello":
            raise ProtocolError("hello_required", "send hello with the protocol version first")
        if kind not in self._public and connection.session is None:
            raise ProtocolError("not_authenticated", f"{kind} needs a logged-in session")
        if connection.session is not None and kind not in _ALLOWED_WITH_PENDING:
            if await self.notices.has_pending(connection.session.player.id):
                raise ProtocolError("notices_pending", "acknowledge the pending notices first")
        handler = self._handlers[kind]
        try:
            data = await handler(connection, message)
        except SensorSaturated as exc:
            # Refused before the platform acted (annex 3.1.1): the player may retry.
            raise ProtocolError("busy", f"too many requests awaiting the vault ({exc.scope}); retry shortly") from exc
        if data is None:
            return None
        return {"type": "result", "id": message["id"], "data": data}

    async def hello(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        if message["version"] not in PROTOCOL_VERSIONS:
            raise ProtocolError(
                "unsupported_version",
                f"protocol version {message['version']} is not supported; use one of {sorted(PROTOCOL_VERSIONS)}",
            )
        connection.greeted = True
        return {
            "protocol": message["version"],
            "server": SERVER_NAME,
            "limits": {
                "max_frame_bytes": self.limits.max_frame_bytes,
                "rate_per_second": self.limits.rate_per_second,
                "rate_burst": self.limits.rate_burst,
            },
        }

    async def register(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        if connection.session is not None:
            raise ProtocolError("already_authenticated", "log out before registering another login")
        # scrypt is deliberately slow: keep it off both the reactor and the DB threads.
        password_hash = await deferToThread(hash_password, message["password"], self.scrypt)
        player = await self.db.transaction(
            lambda c: accounts.register(c, message["login"], password_hash, message["pseudo"])
        )
        log.info("registered {login} as {player_id}", login=player.login, player_id=player.id)
        return {"player_id": player.id, "login": player.login, "pseudo": player.pseudo}

    async def login(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any] | None:
        if connection.session is not None:
            raise ProtocolError("already_authenticated", "this connection already has a session")
        player = await deferToThread(self._authenticate, message["login"], message["password"])
        if self.login_gate is not None:
            await self.login_gate(connection, player)  # raises when the account may not play
        session = await self.db.transaction(
            lambda c: accounts.open_session(c, player, connection.ip, self.max_sessions)
        )
        connection.session = session
        self.hub.logged_in(connection, player.id)  # type: ignore[arg-type]
        pending = await self.notices.pending(player.id)
        log.info("login {player_id} from {ip}", player_id=player.id, ip=connection.ip)
        # The reply goes first so the client knows it is logged in, then the backlog.
        connection.send_message(
            {
                "type": "result",
                "id": message["id"],
                "data": {"player_id": player.id, "pseudo": player.pseudo, "pending_notices": len(pending)},
            }
        )
        for notice in pending:
            connection.send_message(notice.to_message())
        return None

    def _authenticate(self, login: str, password: str) -> accounts.Player:
        with self.db.engine.connect() as c:
            return accounts.authenticate(c, login, password, self.scrypt)

    async def logout(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        session = connection.session
        assert session is not None
        await self.end_session(connection, "logout")
        return {"player_id": session.player.id}

    async def end_session(self, connection: ConnectionState, reason: str) -> None:
        session = connection.session
        if session is None:
            return
        self.hub.logged_out(connection)  # type: ignore[arg-type]
        connection.session = None
        await self.db.transaction(lambda c: accounts.close_session(c, session.id, reason))

    async def ack(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        session = connection.session
        assert session is not None
        ack = await self.notices.acknowledge(session, message["notice_id"])
        return {"notice_id": ack.notice.id, "acked_at": ack.at.isoformat()}

    async def ping(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        return {"pong": True}

    async def lobby(self, connection: ConnectionState, message: dict[str, Any]) -> dict[str, Any]:
        session = connection.session
        assert session is not None
        offer = {name: await provider(session) for name, provider in sorted(self.offer_providers.items())}
        return {
            "player": {"player_id": session.player.id, "pseudo": session.player.pseudo},
            "offer": offer,
            "messages": sorted(self._handlers),
        }

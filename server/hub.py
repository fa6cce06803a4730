"""Live player connections, and delivery of pushed messages to them."""

from __future__ import annotations

from typing import Any, Callable, Protocol


class PlayerConnection(Protocol):
    player_id: str | None

    def send_message(self, message: dict[str, Any]) -> None: ...


class Hub:
    """Which connections are open, and which player each one is logged in as."""

    def __init__(self) -> None:
        self.connections: set[PlayerConnection] = set()
        self._by_player: dict[str, set[PlayerConnection]] = {}
        # Called with (player_id, online) when a player's first connection logs in or last one ends.
        self.presence_hooks: list[Callable[[str, bool], None]] = []

    def opened(self, connection: PlayerConnection) -> None:
        self.connections.add(connection)

    def closed(self, connection: PlayerConnection) -> None:
        self.connections.discard(connection)
        self.logged_out(connection)

    def logged_in(self, connection: PlayerConnection, player_id: str) -> None:
        live = self._by_player.setdefault(player_id, set())
        live.add(connection)
        if len(live) == 1:
            for hook in self.presence_hooks:
                hook(player_id, True)

    def logged_out(self, connection: PlayerConnection) -> None:
        player_id = connection.player_id
        if player_id is None:
            return
        live = self._by_player.get(player_id)
        if live is not None and connection in live:
            live.discard(connection)
            if not live:
                del self._by_player[player_id]
                for hook in self.presence_hooks:
                    hook(player_id, False)

    def deliver(self, player_id: str, message: dict[str, Any]) -> None:
        for connection in list(self._by_player.get(player_id, ())):
            connection.send_message(message)

    def close_player(self, player_id: str, code: int, reason: str) -> None:
        """End a player's live connections (an account blocked while connected)."""
        for connection in list(self._by_player.get(player_id, ())):
            close = getattr(connection, "sendClose", None)
            if close is not None:
                close(code, reason)

    def online_players(self) -> int:
        return len(self._by_player)

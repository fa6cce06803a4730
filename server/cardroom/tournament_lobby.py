"""A tournament before its start: who is registered, who is in the middle of (un)registering.

``games.tournament.Registration`` keeps the field; a registration enters it only once its
money has moved and both its traces (POINSCRIT, POCAVE) are recorded, and leaves it only
once the refund is done and POANNUL recorded. Meanwhile the player is *busy*: a busy player
holds a place (so two requests never take the last seat), and the tournament does not start
while anyone is busy, so the field that starts is exactly the entries whose money is in the
escrow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from games.tournament.errors import TournamentError
from games.tournament.ledger import Refund
from games.tournament.registration import Phase, Registration
from server.cardroom.tournament_spec import TournamentSpec
from server.protocol.errors import ProtocolError


@dataclass
class Lobby:
    tournament_id: str
    spec: TournamentSpec
    registration: Registration
    created_at: datetime
    techs: dict[str, str] = field(default_factory=dict)  # player -> Tech, registered players
    busy: dict[str, datetime] = field(default_factory=dict)  # player -> when their request was accepted
    timer: object | None = None  # scheduled tournaments: the call at the start time

    @property
    def players(self) -> tuple[str, ...]:
        return self.registration.players

    def check_can_register(self, player_id: str, now: datetime) -> None:
        if player_id in self.busy:
            raise ProtocolError("retry", "your previous request for this tournament is still being processed")
        if player_id in self.players:
            raise ProtocolError("already_registered", "you are already registered in this tournament")
        if not self.registration.is_open(now) or len(self.players) + len(self.busy) >= self.spec.max_players:
            raise ProtocolError("registration_closed", "registration is closed (full, started or cancelled)")

    def check_can_unregister(self, player_id: str, now: datetime) -> str:
        if player_id in self.busy:
            raise ProtocolError("retry", "your previous request for this tournament is still being processed")
        if player_id not in self.players:
            raise ProtocolError("not_registered", "you are not registered in this tournament")
        starts_at = self.registration.rules.starts_at
        if self.registration.phase is not Phase.OPEN or (starts_at is not None and now >= starts_at):
            raise ProtocolError("registration_closed", "the tournament has started: nobody unregisters")
        return self.techs[player_id]

    def hold(self, player_id: str, now: datetime) -> None:
        self.busy[player_id] = now

    def release(self, player_id: str) -> None:
        self.busy.pop(player_id, None)

    def enter(self, player_id: str, tech: str) -> None:
        """The money moved and both traces are recorded: the player is in the field."""
        accepted = self.busy[player_id]
        try:
            self.registration.register(player_id, accepted)  # the time the request was accepted
        except TournamentError as exc:
            raise ProtocolError("registration_closed", str(exc)) from None
        self.techs[player_id] = tech

    def leave(self, player_id: str) -> Refund:
        """The refund is done and POANNUL recorded: the player leaves the field."""
        refund = self.registration.unregister(player_id, self.busy[player_id])
        self.techs.pop(player_id, None)
        return refund

    def ready_to_start(self) -> bool:
        return (self.spec.sit_and_go and not self.busy and self.registration.phase is Phase.OPEN
                and self.registration.full)

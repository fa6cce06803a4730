"""The documented list of error codes a player client may receive.

Every error reaches the client as ``{"type": "error", "code": CODE, "message": TEXT,
"id": ID}`` where ``id`` echoes the request's id when it could be read (else ``null``).
``docs/protocol.md`` is generated from this table; keep the descriptions client-facing.
"""

from __future__ import annotations

from typing import Any

ERROR_CODES: dict[str, str] = {
    "bad_json": "The frame is not a UTF-8 JSON object.",
    "binary_frame": "Binary frames are not part of the protocol; send JSON text.",
    "frame_too_large": "The message exceeds the server's size limit; it was not processed.",
    "rate_limited": "Too many messages; this one was dropped. Repeated floods close the connection.",
    "unknown_type": "The message's type is not one the server knows.",
    "missing_field": "A mandatory field is absent.",
    "unknown_field": "A field that this message type does not have.",
    "wrong_type": "A field has the wrong JSON type.",
    "invalid_value": "A field has the right type but a value outside its rules (length, pattern, range).",
    "hello_required": "The first message of a connection must be hello.",
    "unsupported_version": "The server does not speak the protocol version the client asked for.",
    "not_authenticated": "This message needs a logged-in session.",
    "already_authenticated": "This connection already has a session; log out first.",
    "login_taken": "That login is already registered.",
    "pseudo_taken": "That pseudo is already in use.",
    "bad_credentials": "Unknown login or wrong password.",
    "account_refused": "The account may not log in (closed, excluded or banned).",
    "too_many_sessions": "The player already has the maximum number of open sessions.",
    "unknown_notice": "No pending notice with that id for this player.",
    "notices_pending": "Acknowledge the pending notices before doing anything else.",
    "invalid_identity": "The identity form has problems; the message lists each field and what it must be.",
    "check_unavailable": "The banned-players check cannot be made now; nothing was recorded. Retry in a few minutes.",
    "steps_missing": "The account is not ready for this: the message lists the steps to do first.",
    "account_unconfirmed": "The operator has not yet checked the identity documents: withdrawals wait until then.",
    "limit_reached": "The request would exceed one of the player's own limits (moderators): deposits, and stakes (buy-ins, top-ups, tournament entries).",
    "payment_refused": "The payment was refused (provider, balance or amount); nothing was moved.",
    "identity_missing": "The account has no verified identity yet: finish opening it before acknowledging money movements.",
    "licence_missing": "The account is not open for the licence this game needs (JC for poker, PS, PH).",
    "unknown_table": "No open table with that id.",
    "table_closed": "The table is closing: no new player may sit.",
    "table_full": "No free seat at the table.",
    "seat_taken": "That seat is not free; the message lists the free ones.",
    "already_seated": "The player already sits at this table.",
    "not_seated": "The player does not sit at this table.",
    "invalid_buy_in": "The buy-in is outside the table's minimum and maximum, or its bonus part exceeds it.",
    "bonus_not_allowed": "This table or tournament takes no money from the bonus compartment.",
    "above_maximum": "The top-up would take the stack above the table's maximum buy-in.",
    "insufficient_funds": "The solde does not hold the amount; nothing was moved.",
    "in_hand": "Not during a hand the player is in: between hands only.",
    "not_in_hand": "The player is not in a hand at this table.",
    "illegal_action": "The action is not legal now; the message says why (turn, amount, minimum, pot limit...).",
    "unknown_tournament": "No open or running tournament with that id.",
    "registration_closed": "The tournament takes no registration now (full, started, cancelled or closed).",
    "already_registered": "The player is already registered in this tournament.",
    "purchase_refused": "No rebuy or add-on now: the tournament's rules, the level, the stack or a hand under way (the message says which).",
    "not_registered": "The player is not registered in this tournament.",
    "unknown_selection": "No such selection in the sportsbook's catalogue.",
    "selection_closed": "The selection takes no bet now: suspended, started (its market not live), resulted or withdrawn.",
    "odds_changed": "The odds moved since the slip was built; `data.odds` gives the new prices. Nothing was placed.",
    "invalid_slip": "The slip does not describe a bet; the message names the field.",
    "slip_refused": "The operator's rules turn the slip down (same_fixture, too_many_lines, stake_too_low, stake_too_high, annex_limit: the message starts with the reason).",
    "retry": "The balance changed while the request was processed; nothing was moved. Send it again.",
    "busy": "The server is saturated; retry shortly. Nothing was changed.",
    "shutting_down": "The server is stopping; nothing was changed.",
    "internal_error": "The server failed; nothing was changed. The incident is logged.",
}


class ProtocolError(Exception):
    """A refusal the client is told about; the request changed nothing."""

    def __init__(self, code: str, message: str, data: dict[str, Any] | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"undocumented error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data  # what a client needs to act on the refusal (the new odds...)

    def to_message(self, request_id: Any) -> dict[str, Any]:
        message = {"type": "error", "code": self.code, "message": self.message, "id": request_id}
        if self.data is not None:
            message["data"] = self.data
        return message

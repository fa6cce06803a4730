"""Validate inbound messages against the JSON schemas in ``schemas/protocol/``.

Schemas are compiled once (fastjsonschema generates Python code: validation costs a few
microseconds, which keeps the protocol close to bare autobahn's throughput).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any, Callable

import fastjsonschema

from server.protocol.errors import ProtocolError

_RULE_CODES = {
    "required": "missing_field",
    "additionalProperties": "unknown_field",
    "type": "wrong_type",
}

Validator = Callable[[Any], Any]


def load_schemas() -> dict[str, dict[str, Any]]:
    folder = files("schemas") / "protocol"
    loaded: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            loaded[entry.name[: -len(".json")]] = json.loads(entry.read_text(encoding="utf-8"))
    return loaded


class MessageValidator:
    def __init__(self, schemas: dict[str, dict[str, Any]] | None = None) -> None:
        self.schemas = load_schemas() if schemas is None else schemas
        self._validators: dict[str, Validator] = {
            name: fastjsonschema.compile(schema) for name, schema in self.schemas.items()
        }

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self._validators)

    def parse(self, payload: bytes) -> dict[str, Any]:
        """Decode and validate one text frame; raise ProtocolError with the documented code."""
        try:
            message = json.loads(payload)
        except (UnicodeDecodeError, ValueError):
            raise ProtocolError("bad_json", "the frame is not valid UTF-8 JSON") from None
        if not isinstance(message, dict):
            raise ProtocolError("bad_json", "a message must be a JSON object")
        kind = message.get("type")
        validator = self._validators.get(kind) if isinstance(kind, str) else None
        if validator is None:
            if "type" not in message:
                raise ProtocolError("missing_field", "the message has no type")
            raise ProtocolError("unknown_type", f"unknown message type {kind!r}"[:200])
        try:
            validator(message)
        except fastjsonschema.JsonSchemaValueException as exc:
            code = _RULE_CODES.get(exc.rule or "", "invalid_value")
            raise ProtocolError(code, _describe(exc, message)) from None
        return message


def _describe(exc: fastjsonschema.JsonSchemaValueException, message: dict[str, Any]) -> str:
    field = (exc.name or "data").removeprefix("data").lstrip(".") or "message"
    if exc.rule == "additionalProperties":
        allowed = set(exc.definition.get("properties", {})) if exc.definition else set()
        extra = sorted(k for k in message if k not in allowed)
        return f"unknown field(s) {', '.join(extra)[:200]} in {message['type']}"
    if exc.rule == "required":
        return f"{message['type']}: {exc.message.removeprefix('data ')}"
    return f"{message['type']}.{field}: {exc.message.removeprefix(exc.name or '').strip()}"[:300]


def request_id(payload_message: Any) -> Any:
    """The id to echo in an error, when the client's message carried a readable one."""
    if isinstance(payload_message, dict):
        value = payload_message.get("id")
        if isinstance(value, str) and len(value) <= 64:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None

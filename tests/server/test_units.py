"""Unit and property tests of the foundation's pure parts."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.config import ConfigError, load_config
from server.passwords import ScryptParams, hash_password, verify_password
from server.protocol.addresses import client_address, peer_host
from server.protocol.errors import ERROR_CODES, ProtocolError
from server.protocol.ratelimit import TokenBucket
from server.protocol.schemas import MessageValidator

VALIDATOR = MessageValidator()


def test_config_precedence(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('[ws]\nport = 9000\nhost = "0.0.0.0"\n[server]\noperator_id = "4921"\n')
    config = load_config(toml, environ={"CROUPIER_WS__PORT": "9100"}, overrides={})
    assert config.get("ws.port") == 9100
    assert config.get("ws.host") == "0.0.0.0"
    assert config.get("server.operator_id") == "4921"
    config = load_config(toml, environ={"CROUPIER_WS__PORT": "9100"}, overrides={"ws.port": "9200"})
    assert config.get("ws.port") == 9200
    assert load_config(environ={}).get("ws.port") == 8765
    assert load_config(environ={}).database_url().endswith("var/croupier.sqlite3")


@pytest.mark.parametrize(
    ("toml", "env", "overrides", "fragment"),
    [
        ("[ws]\nport = 'x'\n", {}, {}, "ws.port"),
        ("[nope]\nx = 1\n", {}, {}, "nope.x"),
        ("", {"CROUPIER_WS__PORT": "eighty"}, {}, "ws.port"),
        ("", {}, {"ws.port": "70000"}, "ws.port"),
        ("", {}, {"server.operator_id": "12"}, "operator_id"),
        ("", {}, {"ws.trusted_proxies": "not-an-ip"}, "trusted_proxies"),
        ("", {}, {"ws.unknown": "1"}, "ws.unknown"),
        ("[ws\n", {}, {}, "cannot read"),
    ],
)
def test_bad_config_is_named(tmp_path: Path, toml: str, env: dict[str, str], overrides: dict[str, str], fragment: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=fragment):
        load_config(path, environ=env, overrides=overrides)


TRUSTED = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")]


@pytest.mark.parametrize(
    ("peer", "xff", "expected"),
    [
        ("203.0.113.5", [], "203.0.113.5"),
        ("203.0.113.5", ["198.51.100.7"], "203.0.113.5"),  # untrusted peer: header ignored
        ("127.0.0.1", ["198.51.100.7"], "198.51.100.7"),
        ("127.0.0.1", ["1.2.3.4, 198.51.100.7, 10.1.1.1"], "198.51.100.7"),  # skip our own hops
        ("127.0.0.1", ["garbage, 10.1.1.1"], "10.1.1.1"),  # stop at what we can vouch for
        ("127.0.0.1", ["2001:db8::1"], "2001:db8::1"),
        ("::ffff:127.0.0.1", ["198.51.100.7"], "198.51.100.7"),
    ],
)
def test_client_address(peer: str, xff: list[str], expected: str) -> None:
    assert client_address(peer, xff, TRUSTED) == expected


def test_peer_host() -> None:
    assert peer_host("tcp:127.0.0.1:5000") == "127.0.0.1"
    assert peer_host("tcp6:::1:5000") == "::1"
    with pytest.raises(ValueError):
        peer_host("unix:/x")


def test_token_bucket() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.5) is True  # one token back after half a second at 2/s
    assert bucket.take(0.5) is False
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]  # capped at burst


def test_passwords() -> None:
    params = ScryptParams(n=1024)
    stored = hash_password("hunter2-but-longer", params)
    assert verify_password("hunter2-but-longer", stored)
    assert not verify_password("hunter3-but-longer", stored)
    assert hash_password("same", params) != hash_password("same", params)  # salted
    assert not verify_password("x", "garbage")
    assert not verify_password("x", "bcrypt$1$2$3$4$5")


def test_protocol_error_codes_are_documented() -> None:
    with pytest.raises(ValueError):
        ProtocolError("made_up", "x")
    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    for code in ERROR_CODES:
        assert f"`{code}`" in doc, f"{code} missing from docs/protocol.md"
    for name in VALIDATOR.types:
        assert f"`{name}`" in doc, f"message {name} missing from docs/protocol.md"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
message_like = st.fixed_dictionaries(
    {"type": st.sampled_from(sorted(VALIDATOR.types)) | st.text(max_size=10)},
    optional={
        "id": json_values,
        "version": json_values,
        "login": json_values,
        "password": json_values,
        "pseudo": json_values,
        "notice_id": json_values,
        "extra": json_values,
    },
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(message_like, json_values))
def test_any_json_is_either_valid_or_a_documented_error(value: object) -> None:
    payload = json.dumps(value).encode()
    try:
        message = VALIDATOR.parse(payload)
    except ProtocolError as exc:
        assert exc.code in ERROR_CODES and exc.message
        return
    # What passes is exactly what a handler may rely on.
    schema = VALIDATOR.schemas[message["type"]]
    assert set(message) <= set(schema["properties"])
    assert set(schema["required"]) <= set(message)
    assert isinstance(message["id"], (str, int)) and not isinstance(message["id"], bool)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_handled(payload: bytes) -> None:
    try:
        VALIDATOR.parse(payload)
    except ProtocolError as exc:
        assert exc.code in ERROR_CODES

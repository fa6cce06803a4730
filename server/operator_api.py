"""The operators' and auditors' JSON HTTP API (twisted.web), and /health.

Every request under /api/ is authenticated by a bearer token, checked against the
route's roles, and written to the audit log with its outcome, refused ones included:
an auditor wants to see who tried, not only who succeeded.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from sqlalchemy import func, insert, select
from twisted.internet.defer import Deferred
from twisted.logger import Logger
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Request

from server import operator_tokens
from server.accounts import utcnow
from server.db.pool import Database
from server.db.tables import audit_log, notices, players, sessions
from server.hub import Hub
from server.notices import NoticeService
from server.operator_tokens import Actor, TokenError
from server.wallet import operator_movements
from server.wallet.tables import ledger_accounts

log = Logger(namespace="croupier.api")

MAX_BODY = 1024 * 1024


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


Handler = Callable[[Request, "re.Match[str]", Actor, Any], Awaitable[tuple[int, Any]]]


@dataclass(frozen=True)
class Route:
    method: bytes
    pattern: re.Pattern[str]
    roles: frozenset[str]
    handler: Handler


class OperatorApi(Resource):
    isLeaf = True

    def __init__(self, db: Database, hub: Hub, notices_service: NoticeService) -> None:
        super().__init__()
        self.db = db
        self.hub = hub
        self.notices = notices_service
        self.started = time.monotonic()
        self.guard: Any = None
        both = frozenset({"operator", "auditor"})
        operator = frozenset({"operator"})
        self.routes = [
            Route(b"GET", re.compile(r"^/api/whoami$"), both, self.whoami),
            Route(b"GET", re.compile(r"^/api/stats$"), both, self.stats),
            Route(b"GET", re.compile(r"^/api/players$"), both, self.list_players),
            Route(b"GET", re.compile(r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/notices$"), both, self.list_notices),
            Route(b"GET", re.compile(r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/sessions$"), both, self.list_sessions),
            Route(b"POST", re.compile(r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/notices$"), operator, self.push_notice),
            Route(b"POST", re.compile(r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/movements$"), operator, self.operator_movement),
            Route(b"GET", re.compile(r"^/api/players/(?P<pid>[A-Za-z0-9]{1,64})/balances$"), both, self.balances),
            Route(b"GET", re.compile(r"^/api/audit-log$"), both, self.read_audit_log),
            Route(b"POST", re.compile(r"^/api/tokens$"), operator, self.create_token),
        ]

    def add_route(self, method: bytes, pattern: str, roles: frozenset[str], handler: Handler) -> None:
        self.routes.append(Route(method, re.compile(pattern), roles, handler))

    def render(self, request: Request) -> Any:
        Deferred.fromCoroutine(self._serve(request))
        return NOT_DONE_YET

    async def _serve(self, request: Request) -> None:
        path = request.path.decode("utf-8", "replace")
        if path == "/health":
            status, body = await self.health()
            _respond(request, status, body)
            return
        actor = Actor("-", "-")
        raw = b""
        try:
            raw = request.content.read(MAX_BODY + 1) if request.content is not None else b""
            if len(raw) > MAX_BODY:
                raise ApiError(413, "body_too_large", f"the body exceeds {MAX_BODY} bytes")
            actor = await self._authenticate(request)
            route, match = self._route(request.method, path)
            if actor.role not in route.roles:
                raise ApiError(403, "forbidden", f"the {actor.role} role may not {request.method.decode()} {path}")
            payload = _parse_body(raw) if request.method in (b"POST", b"PUT", b"PATCH") else None
            status, body = await route.handler(request, match, actor, payload)
        except ApiError as exc:
            status, body = exc.status, {"error": exc.code, "message": exc.message}
        except Exception:
            log.failure("operator API {method} {path} failed", method=request.method, path=path)
            status, body = 500, {"error": "internal_error", "message": "the server failed; see its log"}
        await self._audit(request, actor, path, raw, status)
        _respond(request, status, body)

    async def _authenticate(self, request: Request) -> Actor:
        header = (request.getHeader("authorization") or "").strip()
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthenticated", "send Authorization: Bearer <token>")
        actor = await self.db.transaction(lambda c: operator_tokens.find_actor(c, token.strip()))
        if actor is None:
            raise ApiError(401, "unauthenticated", "unknown or revoked token")
        return actor

    def _route(self, method: bytes, path: str) -> tuple[Route, "re.Match[str]"]:
        allowed = []
        for route in self.routes:
            match = route.pattern.match(path)
            if match is None:
                continue
            if route.method == method:
                return route, match
            allowed.append(route.method.decode())
        if allowed:
            raise ApiError(405, "method_not_allowed", f"{path} accepts {', '.join(sorted(allowed))}")
        raise ApiError(404, "not_found", f"no such endpoint {path}")

    async def _audit(self, request: Request, actor: Actor, path: str, raw: bytes, status: int) -> None:
        query = request.uri.decode("utf-8", "replace")
        row = {
            "at": utcnow(),
            "actor": actor.name,
            "role": actor.role,
            "method": request.method.decode("ascii", "replace")[:8],
            "path": query[:512],
            "body": raw[:4096].decode("utf-8", "replace"),
            "status": status,
            "remote": getattr(request.getClientAddress(), "host", "?")[:45],
        }
        await self.db.transaction(lambda c: c.execute(insert(audit_log).values(**row)))

    # endpoints

    async def health(self) -> tuple[int, Any]:
        try:
            await self.db.transaction(lambda c: c.execute(select(1)).scalar_one())
            database = "ok"
        except Exception as exc:  # /health reports, it does not raise
            database = f"failed: {exc.__class__.__name__}"
        status = 200 if database == "ok" else 503
        return status, {
            "status": "ok" if status == 200 else "degraded",
            "database": database,
            "connections": len(self.hub.connections),
            "uptime_seconds": round(time.monotonic() - self.started, 1),
            "reactor_thread_db_violations": self.guard.violations if self.guard is not None else 0,
        }

    async def whoami(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        return 200, {"name": actor.name, "role": actor.role}

    async def stats(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        count = await self.db.transaction(lambda c: c.execute(select(func.count()).select_from(players)).scalar_one())
        return 200, {
            "connections": len(self.hub.connections),
            "online_players": self.hub.online_players(),
            "registered_players": count,
        }

    async def list_players(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        limit, offset = _paging(request)
        rows = await self.db.transaction(
            lambda c: c.execute(
                select(players.c.id, players.c.login, players.c.pseudo, players.c.status, players.c.created_at)
                .order_by(players.c.created_at, players.c.id)
                .limit(limit)
                .offset(offset)
            ).all()
        )
        return 200, {
            "players": [
                {"player_id": r.id, "login": r.login, "pseudo": r.pseudo, "status": r.status,
                 "created_at": r.created_at.isoformat()}
                for r in rows
            ]
        }

    async def list_notices(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        pid = match["pid"]
        await self._require_player(pid)
        rows = await self.db.transaction(
            lambda c: c.execute(select(notices).where(notices.c.player_id == pid).order_by(notices.c.id)).all()
        )
        return 200, {
            "notices": [
                {"notice_id": r.id, "kind": r.kind, "data": json.loads(r.payload),
                 "created_at": r.created_at.isoformat(),
                 "acked_at": r.acked_at.isoformat() if r.acked_at else None}
                for r in rows
            ]
        }

    async def list_sessions(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        pid = match["pid"]
        await self._require_player(pid)
        rows = await self.db.transaction(
            lambda c: c.execute(
                select(sessions).where(sessions.c.player_id == pid).order_by(sessions.c.started_at)
            ).all()
        )
        return 200, {
            "sessions": [
                {"ip": r.ip, "started_at": r.started_at.isoformat(),
                 "ended_at": r.ended_at.isoformat() if r.ended_at else None, "end_reason": r.end_reason}
                for r in rows
            ]
        }

    async def push_notice(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        pid = match["pid"]
        if not isinstance(body, dict) or set(body) != {"text"}:
            raise ApiError(400, "invalid_body", 'expected {"text": "..."}')
        text = body["text"]
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            raise ApiError(400, "invalid_body", "text: a string of 1 to 2000 characters")
        await self._require_player(pid)
        notice = await self.notices.push(pid, "message", {"text": text, "from": actor.name})
        return 201, {"notice_id": notice.id}

    async def operator_movement(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        pid = match["pid"]
        await self._require_player(pid)
        if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
            raise ApiError(400, "invalid_body", 'expected {"kind": "CPTEABOND|CPTEALIMOPE|LOTNATURE|CPTEAJUSTOPE", ...}')
        fields = {k: v for k, v in body.items() if k != "kind"}
        movements: dict[str, tuple[Any, set[str]]] = {
            "CPTEABOND": (operator_movements.abondement, {"licence", "amount_cents", "info", "kind"}),
            "CPTEALIMOPE": (operator_movements.bonus, {"licence", "amount_cents", "name"}),
            "LOTNATURE": (operator_movements.prize_in_kind, {"licence", "items"}),
            "CPTEAJUSTOPE": (operator_movements.adjustment, {"licences", "kind", "info", "solde_cents", "bonus_cents"}),
        }
        if body["kind"] not in movements:
            raise ApiError(400, "invalid_body", f"unknown movement {body['kind']!r}")
        apply, allowed = movements[body["kind"]]
        if "type" in fields:  # TypeAbondement / TypeAjust
            fields["kind"] = fields.pop("type")
        unknown = set(fields) - allowed
        if unknown:
            raise ApiError(400, "invalid_body", f"unknown field(s): {', '.join(sorted(unknown))}")
        try:
            applied = await self.db.transaction(lambda c: apply(c, pid, **fields))
        except operator_movements.MovementRefused as exc:
            raise ApiError(400, "refused", str(exc)) from None
        except TypeError as exc:
            raise ApiError(400, "invalid_body", f"missing field(s): {exc}") from None
        self.notices.deliver(applied.notice)
        return 201, {"notice_id": applied.notice.id, "transaction_id": applied.transaction_id,
                     "data": applied.notice.data}

    async def balances(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        pid = match["pid"]
        await self._require_player(pid)
        rows = await self.db.transaction(
            lambda c: c.execute(select(ledger_accounts.c.code, ledger_accounts.c.balance_cents)
                                .where(ledger_accounts.c.code.like(f"player:{pid}:%"))).all()
        )
        return 200, {"balances": {r.code.split(":", 2)[2]: r.balance_cents for r in rows}}

    async def read_audit_log(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        limit, offset = _paging(request)
        rows = await self.db.transaction(
            lambda c: c.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)).all()
        )
        return 200, {
            "entries": [
                {"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "role": r.role, "method": r.method,
                 "path": r.path, "status": r.status, "remote": r.remote, "body": r.body}
                for r in rows
            ]
        }

    async def create_token(self, request: Request, match: "re.Match[str]", actor: Actor, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or set(body) != {"name", "role"}:
            raise ApiError(400, "invalid_body", 'expected {"name": "...", "role": "operator|auditor"}')
        try:
            token = await self.db.transaction(
                lambda c: operator_tokens.create_token(c, str(body["name"]), str(body["role"]))
            )
        except TokenError as exc:
            raise ApiError(400, "invalid_body", str(exc)) from None
        return 201, {"name": body["name"], "role": body["role"], "token": token}

    async def _require_player(self, pid: str) -> None:
        found = await self.db.transaction(
            lambda c: c.execute(select(players.c.id).where(players.c.id == pid)).first()
        )
        if found is None:
            raise ApiError(404, "unknown_player", f"no player {pid}")


def _paging(request: Request) -> tuple[int, int]:
    try:
        limit = int((request.args.get(b"limit") or [b"100"])[0])
        offset = int((request.args.get(b"offset") or [b"0"])[0])
    except ValueError:
        raise ApiError(400, "invalid_query", "limit and offset must be integers") from None
    if not 1 <= limit <= 1000 or offset < 0:
        raise ApiError(400, "invalid_query", "limit: 1 to 1000; offset: 0 or more")
    return limit, offset


def _parse_body(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "the body is not valid UTF-8 JSON") from None


@dataclass(frozen=True)
class Page:
    """A response body that is not JSON (an HTML report), sent as is."""

    content_type: str
    content: bytes


def _respond(request: Request, status: int, body: Any) -> None:
    if request.finished or getattr(request, "_disconnected", False):
        return
    request.setResponseCode(status)
    if isinstance(body, Page):
        request.setHeader(b"content-type", body.content_type.encode("ascii"))
        content = body.content
    else:
        request.setHeader(b"content-type", b"application/json")
        content = json.dumps(body).encode("utf-8")
    request.setHeader(b"cache-control", b"no-store")
    request.write(content)
    request.finish()

"""The regulated account over the player protocol (annex 1.3.3), each step traced.

Kinematics the annex imposes: OUVINFOPERSO first (``open_account``), then the terms
(OKCONDGENE) and the three mandatory moderators (PREFCPTE) before any deposit or play,
a payment account (CPTEREF) before a withdrawal, and the operator's confirmation of the
documents (OUVOKCONFIRME) before money leaves. Every player-initiated step goes through
the sensor: the trace is built from the request, the platform acts, and the trace is in
the vault before the player reads the confirmation.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

from lxml import etree
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from twisted.internet.threads import deferToThread
from twisted.logger import Logger

from frontal.builders import cj
from frontal.builders.header import Header
from frontal.canonical import banned_player_key, hash_joueur
from frontal.sensor import Sensor
from server import accounts
from server.birthplaces import dnsbl_birthplace
from server.db.pool import Database
from server.db.tables import player_identities, players, self_exclusions
from server.hub import Hub
from server.identity import Identity, IdentityError, parse_identity
from server.notices import NoticeService, insert_notice
from server.interdits.checker import BannedPlayersChecker, CheckUnavailable, Verdict
from server.moderators import (Ceiling, CeilingExceeded, Moderators, Period, apply_change, automatic_payout,
                               check_within, period_start)
from server.passwords import ScryptParams, hash_password
from server.payment_refs import BankTable, PaymentReferenceError, check_iban
from server.player_requests import traced
from server.wallet.stakes import staked_since
from server.protocol.errors import ProtocolError
from server.self_exclusion import ExclusionError, ExclusionKind, add_months, definitive, temporary
from server.wallet import ledger
from server.wallet.solde import solde_account
from server.wallet.payments import PaymentRefused, Payments

log = Logger(namespace="croupier.accounts")


@dataclass(frozen=True)
class AccountSettings:
    operator_id: str
    id_coffre: int
    licences: tuple[str, ...]
    terms_version: str
    banned_secret: str
    increase_delay: timedelta
    scrypt: ScryptParams
    max_sessions: int
    per_licence: bool = False


def _ceiling(raw: dict[str, Any]) -> Ceiling:
    return Ceiling(raw["amount_cents"], Period(raw["period"]))


def _moderators_json(moderators: Moderators) -> dict[str, Any]:
    return {"stake": {"amount_cents": moderators.stake.amount_cents, "period": moderators.stake.period.value},
            "deposit": {"amount_cents": moderators.deposit.amount_cents, "period": moderators.deposit.period.value},
            "payout_above_cents": moderators.payout_above_cents}


def _moderators(raw: dict[str, Any]) -> Moderators:
    return Moderators(_ceiling(raw["stake"]), _ceiling(raw["deposit"]), raw["payout_above_cents"])


def unconfirmed_deadline(opened_at: datetime) -> datetime:
    """An account whose documents are not checked within a month is deactivated (annex
    1.3.3.d: until OUVOKCONFIRME the account is provisional)."""
    day = add_months(opened_at.date(), 1)
    return datetime.combine(day, opened_at.timetz())


def limits_in_force(stored: str | None, at: datetime) -> Moderators | None:
    """The moderators that apply at ``at``: a pending increase takes over once its delay is over."""
    if stored is None:
        return None
    limits = json.loads(stored)
    if limits.get("pending") and datetime.fromisoformat(limits["pending_from"]) <= at:
        return _moderators(limits["pending"])
    return _moderators(limits["current"])


class AccountFlows:
    def __init__(self, db: Database, hub: Hub, sensor: Sensor, checker: BannedPlayersChecker, payments: Payments,
                 banks: BankTable, notices: NoticeService, settings: AccountSettings,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.db = db
        self.hub = hub
        self.sensor = sensor
        self.checker = checker
        self.payments = payments
        self.banks = banks
        self.notices = notices
        self.settings = settings
        self.clock = clock

    def handlers(self) -> dict[str, tuple[Callable[[Any, dict[str, Any]], Awaitable[Any]], bool]]:
        """Message type -> (handler, public)."""
        return {
            "open_account": (self.open_account, True),
            "accept_terms": (self.accept_terms, False),
            "set_limits": (self.set_limits, False),
            "set_payment_account": (self.set_payment_account, False),
            "deposit": (self.deposit, False),
            "withdraw": (self.withdraw, False),
            "account": (self.account, False),
            "self_exclude": (self.self_exclude, False),
            "update_identity": (self.update_identity, False),
            "close_account": (self.close_account, False),
        }

    # -- helpers -------------------------------------------------------------------------------

    def _header(self, session: accounts.Session, hash_j: str, at: datetime) -> Header:
        return Header(id_oper=self.settings.operator_id, date_evt=at, id_evt=0, id_joueur=session.player.id,
                      hash_joueur=hash_j, id_session=session.id, ip_joueur=session.ip,
                      id_coffre=self.settings.id_coffre)

    async def _identity(self, session: accounts.Session) -> Any:
        row = await self.db.transaction(lambda c: c.execute(select(player_identities).where(
            player_identities.c.player_id == session.player.id)).first())
        if row is None:
            raise ProtocolError("identity_missing", "this login has no regulated account: open one with open_account")
        return row

    async def _traced(self, session: accounts.Session, build: Callable[[datetime], etree._Element],
                      action: Callable[[], Awaitable[Any]]) -> Any:
        return await traced(self.sensor, session, build, action)

    @staticmethod
    def _session(connection: Any) -> accounts.Session:
        session = connection.session
        assert session is not None
        return session

    # -- opening ----------------------------------------------------------------------------------

    async def open_account(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        if connection.session is not None:
            raise ProtocolError("already_authenticated", "log out before opening another account")
        today = self.clock().date()
        try:
            identity = parse_identity(message["identity"], today)
        except IdentityError as exc:
            raise ProtocolError("invalid_identity", str(exc)) from None
        licences = tuple(message.get("licences") or self.settings.licences)
        if self.settings.per_licence and len(licences) != 1:
            raise ProtocolError("invalid_value", "this platform keeps one account per licence: give exactly one "
                                                 "of PS, PH, JC in licences")
        if not set(licences) <= set(self.settings.licences):
            raise ProtocolError("invalid_value", f"this platform offers {', '.join(self.settings.licences)}")
        await self._check_not_banned(identity)
        password_hash = await deferToThread(hash_password, message["password"], self.settings.scrypt)
        player_id, session_id = accounts.new_player_id(), accounts.new_session_id()
        hash_j = hash_joueur(identity.first_name, identity.birth_name, identity.birth_date, identity.birthplace)
        player = accounts.Player(player_id, identity.login, identity.pseudo, "open")
        pending = accounts.Session(session_id, player, connection.ip, self.clock())

        def trace(at: datetime) -> etree._Element:
            return cj.build_ouvinfoperso(self._header(pending, hash_j, at), _personal_info(identity, licences))

        def create(c: Connection) -> accounts.Session:
            accounts.register(c, identity.login, password_hash, identity.pseudo, player_id=player_id)
            c.execute(insert(player_identities).values(
                player_id=player_id, form=json.dumps(_identity_json(identity)), hash_joueur=hash_j,
                licences=",".join(licences), created_at=self.clock(),
                solde_licence=licences[0] if self.settings.per_licence else "ALL"))
            return accounts.open_session(c, player, connection.ip, self.settings.max_sessions, session_id=session_id)

        session = await self._traced(pending, trace, lambda: self.db.transaction(create))
        connection.session = session
        self.hub.logged_in(connection, player_id)
        log.info("account opened for {player_id}", player_id=player_id)
        return {"player_id": player_id, "pseudo": identity.pseudo, "licences": list(licences),
                "next": ["accept_terms", "set_limits", "set_payment_account"]}

    async def _check_not_banned(self, identity: Identity) -> None:
        """Annex 3.2, fail closed: an unavailable check lets nobody through."""
        key = banned_player_key(self.settings.banned_secret, identity.first_name, identity.birth_name,
                                identity.birth_date)
        place = dnsbl_birthplace(identity.birth_town, identity.birth_department, identity.birth_country,
                                 identity.birth_department != "99")
        try:
            resolution = await self.checker.check(key, place)
        except CheckUnavailable as exc:
            log.warn("banned-players check unavailable: {reason}", reason=str(exc))
            raise ProtocolError("check_unavailable", "the banned-players check cannot be made right now; "
                                                     "nothing was recorded, retry in a few minutes") from None
        if resolution.verdict is Verdict.BANNED:
            log.info("refused: listed in the banned-players file")
            raise ProtocolError("account_refused", "this person is listed in the banned-players file (interdits "
                                                   "de jeux) and may not hold an account")

    async def update_identity(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        try:
            identity = parse_identity(message["identity"], self.clock().date())
        except IdentityError as exc:
            raise ProtocolError("invalid_identity", str(exc)) from None
        if (identity.login, identity.pseudo) != (session.player.login, session.player.pseudo):
            raise ProtocolError("invalid_value", "login and pseudo cannot be changed here")
        await self._check_not_banned(identity)
        # HashJoueur follows the identity: a new name or birthplace gives a new hash, carried
        # by this event and every later one.
        hash_j = hash_joueur(identity.first_name, identity.birth_name, identity.birth_date, identity.birthplace)
        licences = tuple(row.licences.split(","))

        def trace(at: datetime) -> etree._Element:
            return cj.build_modifinfoperso(self._header(session, hash_j, at), _personal_info(identity, licences))

        await self._traced(session, trace, lambda: self.db.transaction(lambda c: c.execute(
            update(player_identities).where(player_identities.c.player_id == session.player.id)
            .values(form=json.dumps(_identity_json(identity)), hash_joueur=hash_j))))
        return {"hash_changed": hash_j != row.hash_joueur}

    async def accept_terms(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        if message["version"] != self.settings.terms_version:
            raise ProtocolError("invalid_value", f"the terms in force are version {self.settings.terms_version}")
        licences = tuple(row.licences.split(","))

        def trace(at: datetime) -> etree._Element:
            return cj.build_okcondgene(self._header(session, row.hash_joueur, at), licences)  # type: ignore[arg-type]

        await self._traced(session, trace, lambda: self.db.transaction(lambda c: c.execute(
            update(player_identities).where(player_identities.c.player_id == session.player.id)
            .values(terms_version=message["version"]))))
        return {"terms_version": message["version"]}

    async def set_limits(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        now = self.clock()
        wanted = Moderators(_ceiling(message["stake"]), _ceiling(message["deposit"]), message["payout_above_cents"])
        current = limits_in_force(row.limits, now)
        if current is None:
            stored = {"current": _moderators_json(wanted), "pending": None, "pending_from": None}
        else:
            change = apply_change(current, wanted, now, self.settings.increase_delay)
            stored = {"current": _moderators_json(change.effective_now),
                      "pending": _moderators_json(change.pending) if change.pending else None,
                      "pending_from": change.pending_from.isoformat() if change.pending_from else None}
        licences = tuple(row.licences.split(","))
        preferences = cj.Preferences(
            licences, account_max=wanted.payout_above_cents,  # type: ignore[arg-type]
            stake_ceilings=(cj.Ceiling(wanted.stake.amount_cents, wanted.stake.period.value),),  # type: ignore[arg-type]
            deposit_ceilings=(cj.Ceiling(wanted.deposit.amount_cents, wanted.deposit.period.value),))  # type: ignore[arg-type]

        def trace(at: datetime) -> etree._Element:
            return cj.build_prefcpte(self._header(session, row.hash_joueur, at), preferences)

        await self._traced(session, trace, lambda: self.db.transaction(lambda c: c.execute(
            update(player_identities).where(player_identities.c.player_id == session.player.id)
            .values(limits=json.dumps(stored)))))
        result: dict[str, Any] = {"in_force": stored["current"], "pending": stored["pending"],
                                  "pending_from": stored["pending_from"]}
        payout = await self.automatic_payout(session.player.id)  # a lowered threshold applies at once
        if payout is not None:
            result["automatic_payout"] = payout
        return result

    async def set_payment_account(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        iban, reference, cib = message.get("iban"), message.get("reference"), message.get("cib")
        if (iban is None) == (reference is None):
            raise ProtocolError("invalid_value", "give exactly one of iban and reference")
        try:
            if iban is not None:
                iban = check_iban(iban)
                bank = self.banks.lookup(cib) if cib else self.banks.for_iban(iban)
            else:
                if not cib:
                    raise PaymentReferenceError("a non-IBAN reference needs the provider's cib")
                bank = self.banks.lookup(cib)
        except PaymentReferenceError as exc:
            raise ProtocolError("invalid_value", str(exc)) from None
        account = cj.PaymentAccount(tuple(row.licences.split(",")), bank.cib, bank.label, iban=iban,  # type: ignore[arg-type]
                                    reference=reference)

        def trace(at: datetime) -> etree._Element:
            return cj.build_cpteref(self._header(session, row.hash_joueur, at), account)

        stored = {"iban": iban, "reference": reference, "cib": bank.cib, "label": bank.label}
        await self._traced(session, trace, lambda: self.db.transaction(lambda c: c.execute(
            update(player_identities).where(player_identities.c.player_id == session.player.id)
            .values(payment_account=json.dumps(stored)))))
        return stored

    # -- money ------------------------------------------------------------------------------------

    def _require_steps(self, row: Any, *steps: str) -> None:
        missing = []
        if "terms" in steps and row.terms_version is None:
            missing.append("accept_terms")
        if "limits" in steps and row.limits is None:
            missing.append("set_limits")
        if "payment_account" in steps and row.payment_account is None:
            missing.append("set_payment_account")
        if missing:
            raise ProtocolError("steps_missing", f"first: {', '.join(missing)}")
        if "confirmed" in steps and row.confirmed_at is None:
            raise ProtocolError("account_unconfirmed", "withdrawals wait until the operator has checked your "
                                                       "identity documents")

    async def _require_not_excluded(self, session: accounts.Session, row: Any) -> None:
        now = self.clock()
        rows = await self.db.transaction(lambda c: c.execute(select(self_exclusions).where(
            self_exclusions.c.player_id == session.player.id)).all())
        excluded = {e.licence for e in rows if e.starts_at <= now < e.starts_at + timedelta(days=e.days)}
        if excluded >= set(row.licences.split(",")):
            raise ProtocolError("account_refused", "the account is deactivated by a self-exclusion in progress")
        if row.confirmed_at is None and now >= unconfirmed_deadline(row.created_at):
            raise ProtocolError("account_refused", "the identity documents were not checked within a month")

    async def may_play(self, session: accounts.Session, licence: str) -> Any:
        """The account may stake money under ``licence`` now: its identity row, or a refusal."""
        row = await self._identity(session)
        self._require_steps(row, "terms", "limits")
        await self._require_not_excluded(session, row)
        if licence not in row.licences.split(","):
            raise ProtocolError("licence_missing", f"this account is not open for {licence}")
        now = self.clock()
        rows = await self.db.transaction(lambda c: c.execute(select(self_exclusions).where(
            (self_exclusions.c.player_id == session.player.id) & (self_exclusions.c.licence == licence))).all())
        if any(e.starts_at <= now < e.starts_at + timedelta(days=e.days) for e in rows):
            raise ProtocolError("account_refused", f"self-excluded from {licence} until the exclusion ends")
        return row

    async def check_stake(self, session: accounts.Session, identity: Any, amount_cents: int) -> None:
        """The stake moderator in force (PREFCPTE MiseMax): refused before anything moves."""
        now = self.clock()
        moderators = limits_in_force(identity.limits, now)
        if moderators is None:
            return
        since = period_start(moderators.stake.period, now)
        used = await self.db.transaction(lambda c: staked_since(c, session.player.id, since))
        try:
            check_within("stake", moderators.stake, used, amount_cents)
        except CeilingExceeded as exc:
            raise ProtocolError("limit_reached", str(exc)) from None

    async def deposit(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        self._require_steps(row, "terms", "limits")
        await self._require_not_excluded(session, row)
        try:
            payment = await self.payments.deposit(session.player.id, message["amount_cents"],
                                                  message.get("scenario", "succeed"))
        except CeilingExceeded as exc:
            raise ProtocolError("limit_reached", str(exc)) from None
        except PaymentRefused as exc:
            raise ProtocolError("payment_refused", str(exc)) from None
        result: dict[str, Any] = {"payment_id": payment.id, "status": payment.status}
        payout = await self.automatic_payout(session.player.id)
        if payout is not None:
            result["automatic_payout"] = payout
        return result

    async def automatic_payout(self, player_id: str) -> dict[str, Any] | None:
        """The balance moderator (PREFCPTE Compte/Max): the excess goes to the payment account.
        It waits for the documents' confirmation and a payment account, like any withdrawal."""
        row = await self.db.transaction(lambda c: c.execute(select(player_identities).where(
            player_identities.c.player_id == player_id)).first())
        moderators = limits_in_force(row.limits if row else None, self.clock())
        if row is None or moderators is None or row.payment_account is None or row.confirmed_at is None:
            return None
        solde = await self.db.transaction(lambda c: ledger.balance(c, solde_account(c, player_id)))
        excess = automatic_payout(solde, moderators)
        if excess <= 0:
            return None
        target = json.loads(row.payment_account)
        payment = await self.payments.withdraw(player_id, excess, target["iban"] or target["reference"],
                                               trigger="moderator")
        log.info("automatic payout of {cents} cents for {player_id}", cents=excess, player_id=player_id)
        return {"payment_id": payment.id, "status": payment.status, "amount_cents": excess}

    async def withdraw(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        self._require_steps(row, "terms", "limits", "payment_account", "confirmed")
        await self._require_not_excluded(session, row)
        target = json.loads(row.payment_account)
        try:
            payment = await self.payments.withdraw(session.player.id, message["amount_cents"],
                                                   target["iban"] or target["reference"],
                                                   message.get("scenario", "succeed"))
        except PaymentRefused as exc:
            raise ProtocolError("payment_refused", str(exc)) from None
        return {"payment_id": payment.id, "status": payment.status}

    async def account(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        steps = [name for name, done in (("accept_terms", row.terms_version), ("set_limits", row.limits),
                                         ("set_payment_account", row.payment_account)) if done is None]
        limits = json.loads(row.limits) if row.limits else None
        return {"player_id": session.player.id, "licences": row.licences.split(","), "steps_missing": steps,
                "confirmed": row.confirmed_at is not None, "terms_version": row.terms_version, "limits": limits,
                "payment_account": json.loads(row.payment_account) if row.payment_account else None}

    # -- protection of the player ---------------------------------------------------------------

    async def self_exclude(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        now = self.clock()
        licences = tuple(message.get("licences") or row.licences.split(","))
        if not set(licences) <= set(row.licences.split(",")):
            raise ProtocolError("invalid_value", f"this account serves {row.licences}")
        durations = {k: message[k] for k in ("days", "months", "years", "until") if k in message}
        try:
            if message["exclusion"] == "definitive":
                if durations:
                    raise ExclusionError("a definitive self-exclusion lasts 3 years: give no duration")
                exclusion = definitive(now)
                licences = tuple(row.licences.split(","))  # the account closes: every licence
            else:
                if "until" in durations:
                    durations["until"] = date.fromisoformat(durations["until"])
                exclusion = temporary(now, **durations)
        except (ExclusionError, ValueError) as exc:
            raise ProtocolError("invalid_value", str(exc)) from None
        kind = "Definitive" if exclusion.kind is ExclusionKind.DEFINITIVE else "Temporaire"
        for licence in licences:
            record = cj.SelfExclusion(licence, kind, exclusion.days, taken_at=now)  # type: ignore[arg-type]

            def trace(at: datetime, record: cj.SelfExclusion = record) -> etree._Element:
                return cj.build_autointerdiction(self._header(session, row.hash_joueur, at), record)

            def insert_row(c: Connection, licence: str = licence) -> None:
                c.execute(insert(self_exclusions).values(player_id=session.player.id, licence=licence, kind=kind,
                                                         starts_at=now, days=exclusion.days))

            await self._traced(session, trace, lambda insert_row=insert_row: self.db.transaction(insert_row))
        result: dict[str, Any] = {"kind": kind, "licences": list(licences), "days": exclusion.days,
                                  "until": exclusion.ends_at.isoformat()}
        if exclusion.kind is ExclusionKind.DEFINITIVE:
            # Annex: a definitive exclusion is followed at once by the account's closure.
            result["closure"] = await self._close(connection, session, row)
        return result

    async def close_account(self, connection: Any, message: dict[str, Any]) -> dict[str, Any]:
        session = self._session(connection)
        row = await self._identity(session)
        return await self._close(connection, session, row)

    async def _close(self, connection: Any, session: accounts.Session, row: Any) -> dict[str, Any]:
        licences = tuple(row.licences.split(","))
        solde = await self.db.transaction(lambda c: ledger.balance(c, solde_account(c, session.player.id)))

        def trace(at: datetime) -> etree._Element:
            return cj.build_cloturedem(self._header(session, row.hash_joueur, at), licences, solde)  # type: ignore[arg-type]

        def close(c: Connection) -> None:
            c.execute(update(players).where(players.c.id == session.player.id).values(status="closed"))

        await self._traced(session, trace, lambda: self.db.transaction(close))
        payout = None
        if solde > 0 and row.payment_account is not None:
            target = json.loads(row.payment_account)
            payment = await self.payments.withdraw(session.player.id, solde, target["iban"] or target["reference"],
                                                   trigger="closure")
            payout = {"payment_id": payment.id, "status": payment.status, "amount_cents": solde}
        log.info("account {player_id} closed", player_id=session.player.id)
        return {"closed": True, "solde_clos_cents": solde, "payout": payout}

    async def refuse_login(self, connection: Any, player: accounts.Player) -> None:
        """ACCESREFUSE (annex 1.3.3.f): an authenticated player who may not play is refused,
        and the refusal is traced on the login request it answers, once per licence."""
        now = self.clock()

        def state(c: Connection) -> tuple[Any, list[Any]]:
            identity = c.execute(select(player_identities).where(
                player_identities.c.player_id == player.id)).first()
            exclusions = c.execute(select(self_exclusions).where(self_exclusions.c.player_id == player.id)).all()
            return identity, exclusions

        identity, exclusions = await self.db.transaction(state)
        if identity is None:
            return
        licences = identity.licences.split(",")
        excluded = {e.licence for e in exclusions
                    if e.starts_at <= now < e.starts_at + timedelta(days=e.days)}
        if player.status == "closed":
            refusal, cause = "Cloture", "compte clos"
        elif player.status == "banned":
            refusal, cause = "Interdit", "inscrit au fichier des interdits de jeux"
        elif excluded >= set(licences):
            refusal, cause = "AutoInterdit", "auto-interdiction en cours"
        elif identity.confirmed_at is None and now >= unconfirmed_deadline(identity.created_at):
            refusal, cause = "DelaiIdentite", "pièces d'identité non vérifiées dans le délai d'un mois"
        else:
            return
        session_id = accounts.new_session_id()
        pending = accounts.Session(session_id, player, connection.ip, now)
        for licence in licences:
            record = cj.AccessRefusal(licence, cause, refusal)  # type: ignore[arg-type]

            def trace(at: datetime, record: cj.AccessRefusal = record) -> etree._Element:
                return cj.build_accesrefuse(self._header(pending, identity.hash_joueur, at), record)

            async def nothing() -> None:
                return None

            await self._traced(pending, trace, nothing)
        raise ProtocolError("account_refused", f"access refused: {cause}")

    async def operator_confirm(self, request: Any, match: Any, actor: Any, body: Any) -> tuple[int, Any]:
        """POST /api/players/{pid}/confirm: the documents are checked (OUVOKCONFIRME on ack)."""
        from server.operator_api import ApiError

        player_id = match["pid"]
        now = self.clock()

        def confirm(c: Connection) -> Any:
            row = c.execute(select(player_identities).where(player_identities.c.player_id == player_id)
                            .with_for_update()).first()
            if row is None:
                raise ApiError(404, "unknown_player", f"no regulated account {player_id}")
            if row.confirmed_at is not None:
                raise ApiError(409, "already_confirmed", f"confirmed on {row.confirmed_at.isoformat()}")
            c.execute(update(player_identities).where(player_identities.c.player_id == player_id)
                      .values(confirmed_at=now))
            return insert_notice(c, player_id, "OUVOKCONFIRME", {"event": "OUVOKCONFIRME", "by": actor.name},
                                 limit=None)

        notice = await self.db.transaction(confirm)
        self.notices.deliver(notice)
        return 201, {"notice_id": notice.id, "confirmed_at": now.isoformat()}

    async def deposit_ceiling(self, player_id: str) -> Ceiling | None:
        """The deposit moderator in force, for the wallet's ceiling check."""
        row = await self.db.transaction(lambda c: c.execute(select(player_identities.c.limits).where(
            player_identities.c.player_id == player_id)).first())
        moderators = limits_in_force(row.limits if row else None, self.clock())
        return moderators.deposit if moderators else None


def _personal_info(identity: Identity, licences: tuple[str, ...]) -> cj.PersonalInfo:
    return cj.PersonalInfo(
        licences=licences, login=identity.login, pseudo=identity.pseudo,  # type: ignore[arg-type]
        birth_name=identity.birth_name, first_name=identity.first_name, civility=identity.civility,  # type: ignore[arg-type]
        birth_date=identity.birth_date, birth_town=identity.birth_town,
        birth_department=identity.birth_department, birth_country=identity.birth_country,
        address=identity.address, postal_code=identity.postal_code, town=identity.town, country=identity.country,
        email=identity.email, other_first_names=identity.other_first_names, phone_fixed=identity.phone_fixed,
        phone_mobile=identity.phone_mobile)


def _identity_json(identity: Identity) -> dict[str, Any]:
    data = asdict(identity)
    data["birth_date"] = identity.birth_date.isoformat()
    return data

"""Payment service providers: the boundary where money enters and leaves the platform.

Deposits and payouts are asked of a provider that may accept, refuse or not answer in
time. An unanswered request is not a failure: the movement stays pending and the
provider's status is asked again later (reconciliation), so money is neither credited
without the provider's word nor lost when the answer comes late.

The staging provider runs in process and behaves as the request's ``scenario`` says, so
staging and tests can play every path: ``succeed``, ``fail``, ``timeout`` (no answer now;
``status`` later answers per ``then``, default ``succeed``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from twisted.internet.defer import Deferred, succeed

PAYMENT_TYPES = ("CarteBancaire", "Virement", "Intermediaire", "MonnaieElectronique")


class Outcome(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"


@dataclass(frozen=True)
class ProviderAnswer:
    outcome: Outcome
    reference: str
    reason: str = ""


class PaymentProvider(Protocol):
    name: str  # MoyenPaiement: stable across a player's deposits
    payment_type: str  # TypeMoyenPaiement

    def charge(self, deposit_id: int, amount_cents: int, scenario: str) -> "Deferred[ProviderAnswer]": ...

    def payout(self, withdrawal_id: int, amount_cents: int, account_reference: str, scenario: str) -> "Deferred[ProviderAnswer]": ...

    def status(self, reference: str) -> "Deferred[ProviderAnswer]": ...


SCENARIOS = ("succeed", "fail", "timeout", "timeout_then_fail")


class StagingProvider:
    name = "Carte staging"
    payment_type = "CarteBancaire"

    # The late outcome is written in the reference, as a real provider keeps it on its side:
    # reconciliation after a restart gets the same answer.
    def _answer(self, scenario: str) -> ProviderAnswer:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown staging scenario {scenario!r}")
        late = "F" if scenario == "timeout_then_fail" else "S"
        reference = f"STG-{late}-{secrets.token_hex(8)}"
        if scenario == "succeed":
            return ProviderAnswer(Outcome.SUCCEEDED, reference)
        if scenario == "fail":
            return ProviderAnswer(Outcome.FAILED, reference, "refused by the issuer (staging)")
        return ProviderAnswer(Outcome.PENDING, reference, "no answer from the provider in time")

    def charge(self, deposit_id: int, amount_cents: int, scenario: str) -> "Deferred[ProviderAnswer]":
        return succeed(self._answer(scenario))

    def payout(self, withdrawal_id: int, amount_cents: int, account_reference: str, scenario: str) -> "Deferred[ProviderAnswer]":
        return succeed(self._answer(scenario))

    def status(self, reference: str) -> "Deferred[ProviderAnswer]":
        if reference.startswith("STG-S-"):
            return succeed(ProviderAnswer(Outcome.SUCCEEDED, reference))
        if reference.startswith("STG-F-"):
            return succeed(ProviderAnswer(Outcome.FAILED, reference, "refused by the issuer after a delay (staging)"))
        return succeed(ProviderAnswer(Outcome.FAILED, reference, "unknown reference"))

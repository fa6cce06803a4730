"""The bet-slip engine: sports bets' structure, stakes and settlement, exact and pure.

No I/O, no clock, nothing of Croupier's outside games/. See docs/betslip.md.
"""

from games.betslip.calc_input import CalcRequest, read_request
from games.betslip.calculator import calculate
from games.betslip.checks import Limits, check_slip
from games.betslip.errors import SlipError, SlipRefused
from games.betslip.money import Rounding, to_cents
from games.betslip.outcomes import DeadHeat, Outcome, Outcomes, Result, Scenario
from games.betslip.paspmise import PaspBet, PaspCombination, PaspLine, PaspPrognosis, Part, paspmise_bets
from games.betslip.settlement import (
    BetSettlement,
    CapBasis,
    CapScope,
    Method,
    PayoutCap,
    Settlement,
    SettlementRules,
    all_open,
    settle,
)
from games.betslip.stakes import Pricing, price
from games.betslip.types import (
    FORMULAS,
    BetType,
    Choice,
    CustomPart,
    EachWay,
    Leg,
    LuckyBonus,
    Slip,
    Stake,
    StakeMode,
)

__all__ = [
    "FORMULAS", "BetSettlement", "BetType", "CalcRequest", "CapBasis", "CapScope", "Choice", "CustomPart",
    "DeadHeat", "EachWay", "Leg", "Limits", "LuckyBonus", "Method", "Outcome", "Outcomes", "Part", "PaspBet",
    "PaspCombination", "PaspLine", "PaspPrognosis", "PayoutCap", "Pricing", "Result", "Rounding", "Scenario",
    "Settlement", "SettlementRules", "Slip", "SlipError", "SlipRefused", "Stake", "StakeMode", "all_open",
    "calculate", "check_slip", "paspmise_bets", "price", "read_request", "settle", "to_cents",
]

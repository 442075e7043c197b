"""Instance warm-up guidance and the campaign safety report: deterministic, never blocking.

The documentation shows the `warming` row of the warm-up policy and one safety report;
the other rows are the mock's own choice, so every state has a complete, stable shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.state.records import Instance


@dataclass(frozen=True)
class Warmup:
    age_days: float
    hourly: int
    daily: int
    hourly_unique: int
    daily_unique: int
    max_campaign_recipients: int
    max_cold_ratio: float
    score: int
    decision: str
    risk: str
    advice: tuple[str, ...]


WARMUP: dict[str, Warmup] = {
    "new": Warmup(0.2, 10, 40, 10, 40, 20, 0.3, 45, "warn", "medium",
                  ("Send to previously engaged contacts only for a few days.",)),
    "warming": Warmup(1.4, 25, 100, 25, 100, 100, 0.4, 56, "warn", "medium",
                      ("Start with previously engaged contacts before scaling volume.",)),
    "stable": Warmup(45.0, 200, 1000, 200, 1000, 1000, 0.6, 72, "allow", "low", ()),
    "at_risk": Warmup(30.0, 20, 80, 20, 80, 50, 0.2, 35, "warn", "high",
                      ("Pause campaigns and answer inbound messages first.",)),
    "restricted": Warmup(30.0, 5, 20, 5, 20, 0, 0.0, 15, "warn", "high",
                         ("Stop bulk sending until the number recovers.",)),
}


def state_of(instance: Instance | None) -> str:
    """An instance's safety state; a deleted instance's campaign reads as stable."""
    return instance.safetyState if instance is not None else "stable"


def worker_safety(instance: Instance | None) -> dict:
    """The {decision, riskLevel, state, score} block of messages and resumed campaigns."""
    warmup = WARMUP[state_of(instance)]
    return {"decision": warmup.decision, "riskLevel": warmup.risk, "state": state_of(instance), "score": warmup.score}


def campaign_safety(instance: Instance | None, total_recipients: int, cold_recipients: int) -> dict:
    """The campaign create report: allow or warn (never blocks), with its reasons."""
    state = state_of(instance)
    warmup = WARMUP[state]
    cold_ratio = round(cold_recipients / total_recipients, 3) if total_recipients else 0.0
    reasons, recommendations = [], list(warmup.advice)
    if state in ("new", "warming"):
        reasons.append("This instance is still warming up and campaign pacing should stay gradual.")
    if state in ("at_risk", "restricted"):
        reasons.append(f"This instance is {state.replace('_', ' ')}: recent signals show delivery risk.")
    if total_recipients > warmup.max_campaign_recipients:
        reasons.append(f"The audience ({total_recipients}) is above the {warmup.max_campaign_recipients} "
                       "recipients advised for this instance.")
        recommendations.append("Split the audience into smaller campaigns.")
    if cold_ratio > warmup.max_cold_ratio:
        reasons.append(f"{cold_ratio:.0%} of recipients have never received a message from this account.")
        recommendations.append("Start with previously engaged contacts before scaling volume.")
    decision = "warn" if reasons else "allow"
    risk = warmup.risk if reasons else "low"
    penalty = 10 * max(0, len(reasons) - 1)
    return {"decision": decision, "riskLevel": risk, "score": max(0, warmup.score - penalty), "state": state,
            "reasons": reasons, "recommendations": list(dict.fromkeys(recommendations)),
            "appliedLimits": {"maxCampaignRecipients": warmup.max_campaign_recipients,
                              "maxColdRatio": warmup.max_cold_ratio},
            "audience": {"totalRecipients": total_recipients, "coldRatio": cold_ratio}}

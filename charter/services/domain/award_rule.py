"""The scheme's award rule, as a pure function of the assessor's judgements.

No database, no Flask: the assessment service gathers the judgements and the snapshot's targets
and passes them in, so the rule can be tested on its boundaries and its arithmetic shown to the
assessor in words. The share is compared exactly (met × 100 ≥ minimum × targets) and only shown
rounded down, so 74.9% never passes as "75%".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

MET = "met"
VERDICT_WORDS = {"met": "met", "partly_met": "partly met", "not_met": "not met"}


@dataclass(frozen=True)
class AwardRule:
    all_core_met: bool
    min_share_met: Decimal

    @classmethod
    def of(cls, scheme: Any) -> AwardRule:
        return cls(
            all_core_met=bool(scheme.award_all_core_met),
            min_share_met=Decimal(scheme.award_min_share_met),
        )


@dataclass(frozen=True)
class AwardRuleResult:
    holds: bool
    lines: list[str] = field(default_factory=list)  # the arithmetic, in words
    failures: list[str] = field(default_factory=list)  # why it does not hold
    met: int = 0
    targets: int = 0
    share: Decimal = Decimal(0)  # exact percentage of targets met


def percent_label(value: Decimal) -> str:
    """A percentage for people: whole numbers without decimals, others as given (66.5)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _rounded_down(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def evaluate_award_rule(
    scheme_rule: Any,
    judgements: Mapping[int, str],
    targets: Iterable[tuple[int, bool]],
    codes: Mapping[int, str] | None = None,
) -> AwardRuleResult:
    """Does the award rule hold?

    ``scheme_rule`` has ``all_core_met`` and ``min_share_met`` (a percentage); ``judgements``
    maps measure id to verdict; ``targets`` lists (measure id, is core) for each target in the
    plan; ``codes`` names the measures in the failures ("LE4 has not been judged").
    A target without a judgement counts as not met; only "met" counts as met.
    """
    codes = codes or {}
    targets = list(targets)
    minimum = Decimal(scheme_rule.min_share_met)

    def name(measure_id: int) -> str:
        return codes.get(measure_id, f"Measure {measure_id}")

    if not targets:
        return AwardRuleResult(
            holds=False,
            lines=["There are no targets to judge."],
            failures=["The plan has no targets to judge"],
        )

    lines: list[str] = []
    failures: list[str] = []
    for measure_id, _is_core in targets:
        if measure_id not in judgements:
            failures.append(f"{name(measure_id)} has not been judged")

    if scheme_rule.all_core_met:
        core = [measure_id for measure_id, is_core in targets if is_core]
        core_met = sum(1 for measure_id in core if judgements.get(measure_id) == MET)
        lines.append(
            f"{core_met} of {len(core)} core measures met, the scheme asks for all of them"
        )
        for measure_id in core:
            verdict = judgements.get(measure_id)
            if verdict is not None and verdict != MET:
                failures.append(
                    f"{name(measure_id)} is a core measure and is judged "
                    f"{VERDICT_WORDS.get(verdict, verdict)}"
                )

    met = sum(1 for measure_id, _is_core in targets if judgements.get(measure_id) == MET)
    share = Decimal(met) * 100 / Decimal(len(targets))
    lines.append(
        f"{met} of {len(targets)} targets met = {_rounded_down(share)}%, "
        f"the scheme asks for at least {percent_label(minimum)}%"
    )
    if Decimal(met) * 100 < minimum * len(targets):
        failures.append(
            f"Only {met} of {len(targets)} targets met ({_rounded_down(share)}%): "
            f"the scheme asks for at least {percent_label(minimum)}%"
        )
    return AwardRuleResult(
        holds=not failures,
        lines=lines,
        failures=failures,
        met=met,
        targets=len(targets),
        share=share,
    )

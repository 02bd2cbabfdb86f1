"""The award rule on its boundaries: exact share comparison, core measures, missing judgements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from charter.services.domain.award_rule import AwardRule, evaluate_award_rule, percent_label

CODES = {n: f"LE{n}" for n in range(1, 13)}


def _targets(core: int, optional: int) -> list[tuple[int, bool]]:
    return [(n, n <= core) for n in range(1, core + optional + 1)]


def _rule(all_core: bool = True, minimum: str = "75") -> AwardRule:
    return AwardRule(all_core_met=all_core, min_share_met=Decimal(minimum))


def _evaluate(rule, judgements, targets):
    return evaluate_award_rule(rule, judgements, targets, CODES)


def test_exactly_at_the_threshold_holds():
    targets = _targets(3, 1)  # 4 targets
    judgements = {1: "met", 2: "met", 3: "met", 4: "not_met"}  # 3 of 4 = 75%
    result = _evaluate(_rule(), judgements, targets)
    assert result.holds
    assert result.failures == []
    assert result.lines == [
        "3 of 3 core measures met, the scheme asks for all of them",
        "3 of 4 targets met = 75%, the scheme asks for at least 75%",
    ]


def test_just_below_the_threshold_fails_though_it_rounds_to_the_same_whole_percent():
    # 2 of 3 is 66.66…%: shown as 66%, and below a minimum of 66.67.
    targets = _targets(0, 3)
    judgements = {1: "met", 2: "met", 3: "not_met"}
    result = _evaluate(_rule(all_core=False, minimum="66.67"), judgements, targets)
    assert not result.holds
    assert result.failures == ["Only 2 of 3 targets met (66%): the scheme asks for at least 66.67%"]
    assert result.share == Decimal(200) / Decimal(3)
    # The same share passes a minimum it really reaches.
    assert _evaluate(_rule(all_core=False, minimum="66.66"), judgements, targets).holds


def test_one_below_a_whole_threshold_fails():
    targets = _targets(0, 12)
    judgements = {n: ("met" if n <= 8 else "not_met") for n in range(1, 13)}  # 8/12 = 66.6%
    result = _evaluate(_rule(all_core=False), judgements, targets)
    assert not result.holds
    assert "8 of 12 targets met = 66%, the scheme asks for at least 75%" in result.lines
    judgements[9] = "met"  # 9/12 = 75%
    assert _evaluate(_rule(all_core=False), judgements, targets).holds


def test_a_core_measure_not_met_fails_when_all_core_must_be_met():
    targets = _targets(2, 6)
    judgements = {n: "met" for n in range(1, 9)}
    judgements[2] = "not_met"  # 7 of 8 = 87.5%: the share alone would pass
    result = _evaluate(_rule(), judgements, targets)
    assert not result.holds
    assert result.failures == ["LE2 is a core measure and is judged not met"]
    assert "1 of 2 core measures met, the scheme asks for all of them" in result.lines


def test_partly_met_is_not_met():
    targets = _targets(1, 0)
    result = _evaluate(_rule(minimum="0"), {1: "partly_met"}, targets)
    assert not result.holds
    assert result.failures == ["LE1 is a core measure and is judged partly met"]
    assert result.met == 0


def test_a_missing_judgement_counts_as_not_met_and_is_named():
    targets = _targets(2, 2)
    judgements = {1: "met", 2: "met", 3: "met"}  # LE4 not judged: 3 of 4 would pass on share
    result = _evaluate(_rule(), judgements, targets)
    assert not result.holds
    assert result.failures == ["LE4 has not been judged"]
    assert result.met == 3


def test_a_missing_core_judgement_is_named_once():
    result = _evaluate(_rule(minimum="0"), {2: "met"}, _targets(2, 0))
    assert result.failures == ["LE1 has not been judged"]


def test_zero_targets_fails():
    result = _evaluate(_rule(all_core=False, minimum="0"), {}, [])
    assert not result.holds
    assert result.failures == ["The plan has no targets to judge"]


def test_core_is_ignored_when_the_scheme_does_not_ask_for_it():
    targets = _targets(2, 2)
    judgements = {1: "not_met", 2: "met", 3: "met", 4: "met"}
    result = _evaluate(_rule(all_core=False), judgements, targets)
    assert result.holds
    assert not any("core" in line for line in result.lines)


def test_judgements_for_measures_without_targets_do_not_count():
    result = _evaluate(_rule(all_core=False, minimum="100"), {1: "met", 7: "met"}, [(1, False)])
    assert result.holds and result.met == 1 and result.targets == 1


def test_the_rule_is_read_from_a_scheme():
    class Scheme:
        award_all_core_met = True
        award_min_share_met = Decimal("75.00")

    assert AwardRule.of(Scheme()) == AwardRule(True, Decimal("75"))


@pytest.mark.parametrize(
    ("value", "label"), [("75.00", "75"), ("100.00", "100"), ("66.50", "66.5"), ("0", "0")]
)
def test_percent_labels(value, label):
    assert percent_label(Decimal(value)) == label

"""How closely a withheld figure can be worked out from everything published: linear programs.

Withholding a figure protects it only if the figures shown beside it do not pin it down. Every
published sum is a linear relation between figures (a total and its breakdown, a financial year
and its quarters, all time and its years, the pounds of a quarter and its figure times the proxy
value in force). Fix every shown figure at its value, let every withheld one take any value
of at least 0 (at most 100 for a percentage) that satisfies all the relations at once, and the
least and greatest value a withheld figure can take is what anyone could work out about it,
however they combine the published tables. That is two linear programs per withheld figure,
solved exactly by HiGHS (``highspy``, the solver's own Python interface).

A withheld figure is *protected* when that interval is at least the protection level (the
scheme's ``[disclosure] protection_percent``, 20% by default) of its upper end: nobody can tell
it to within a fifth. Withheld figures linked by no relation are solved apart (one program per
connected group), so each program stays small whatever the number of figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from math import inf, isfinite, isnan, nan

import highspy
import numpy as np

Variable = Hashable
# A little slack on the protection check: the programs are solved in floating point.
TOLERANCE = 1e-6


class NoSolution(ValueError):
    """The constraints contradict each other (the figures do not add up as they say)."""


@dataclass(frozen=True)
class Constraint:
    """``low <= sum(coefficient * variable) <= high`` (``low == high`` for an equation)."""

    terms: tuple[tuple[Variable, float], ...]
    low: float
    high: float


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    # What is known of the figure anyway (the part from organisations that publish their own
    # figures): the protection is of the rest.
    base: float = 0.0

    def protects(self, share: float) -> bool:
        """At least ``share`` of the upper end (less the known part) wide; an unbounded
        interval always is."""
        if isnan(self.high) or isnan(self.low):
            return False
        if not isfinite(self.high):
            return True
        slack = TOLERANCE * max(1.0, abs(self.high))
        return self.high - self.low >= share * (self.high - self.base) - slack


class _Groups:
    """Union-find over the withheld variables that share a constraint."""

    def __init__(self) -> None:
        self.parent: dict[Variable, Variable] = {}

    def find(self, v: Variable) -> Variable:
        self.parent.setdefault(v, v)
        while self.parent[v] != v:
            self.parent[v] = self.parent[self.parent[v]]
            v = self.parent[v]
        return v

    def join(self, variables: list[Variable]) -> None:
        root = self.find(variables[0])
        for v in variables[1:]:
            self.parent[self.find(v)] = root


def _reduced(
    constraints: Iterable[Constraint], known: Mapping[Variable, float]
) -> list[Constraint]:
    """Each constraint with the shown figures moved to its bounds; those with no withheld
    figure left are dropped."""
    out = []
    for c in constraints:
        fixed = sum(coefficient * known[v] for v, coefficient in c.terms if v in known)
        free = tuple((v, coefficient) for v, coefficient in c.terms if v not in known)
        if free:
            out.append(Constraint(free, c.low - fixed, c.high - fixed))
    return out


class _Program:
    """The constraints of one connected group of withheld variables, loaded into HiGHS once;
    each bound then only changes the objective, and HiGHS starts from the last solution."""

    def __init__(
        self,
        constraints: list[Constraint],
        upper: Mapping[Variable, float],
        true_values: Mapping[Variable, float],
        lower: Mapping[Variable, float],
    ) -> None:
        self.variables = sorted({v for c in constraints for v, _ in c.terms}, key=repr)
        self.index = {v: i for i, v in enumerate(self.variables)}
        truth = [true_values.get(v, np.nan) for v in self.variables]
        self.low, self.high = np.array(truth, dtype=float), np.array(truth, dtype=float)
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.variables)
        lp.num_row_ = len(constraints)
        lp.col_cost_ = np.zeros(lp.num_col_)
        lp.col_lower_ = np.array([lower.get(v, 0.0) for v in self.variables])
        self.base = lp.col_lower_
        lp.col_upper_ = np.array([upper.get(v, highspy.kHighsInf) for v in self.variables])
        lp.row_lower_ = np.array([_finite(c.low) for c in constraints])
        lp.row_upper_ = np.array([_finite(c.high) for c in constraints])
        starts, columns, values = [0], [], []
        for c in constraints:
            for v, coefficient in sorted(c.terms, key=lambda t: self.index[t[0]]):
                columns.append(self.index[v])
                values.append(coefficient)
            starts.append(len(columns))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(columns, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        # The solver binding itself: ``highspy.Highs`` adds Python callbacks (not needed here)
        # and prints a banner to standard output, into every rebuild's output.
        self.highs = highspy._Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "off")
        self.highs.passModel(lp)

    def extreme(self, variable: Variable, sign: float) -> float:
        """The least (``sign`` 1) or greatest (-1) value of ``variable``."""
        column = self.index[variable]
        self.highs.changeColCost(column, sign)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status not in _DECIDED:  # numerical trouble from the last basis: afresh, once
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        value = self.highs.getInfo().objective_function_value
        self.highs.changeColCost(column, 0.0)  # (which resets the objective's value)
        if status == highspy.HighsModelStatus.kOptimal:
            point = np.asarray(self.highs.getSolution().col_value, dtype=float)
            self.low = np.fmin(self.low, point)
            self.high = np.fmax(self.high, point)
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return -sign * inf
        if status != highspy.HighsModelStatus.kOptimal:
            raise NoSolution(f"The published relations have no solution: {status}")
        return sign * value

    def seen_low(self, variable: Variable) -> float:
        return float(self.low[self.index[variable]])

    def seen_high(self, variable: Variable) -> float:
        return float(self.high[self.index[variable]])

    def wide_enough(self, variable: Variable, share: float) -> bool:
        """Whether the values seen so far already prove the interval wide enough: the least is
        at most the lowest seen and the greatest at least the highest, and the interval's
        width less the share of (greatest - known part) grows with the greatest."""
        low, high = self.seen_low(variable), self.seen_high(variable)
        base = float(self.base[self.index[variable]])
        return high - low >= share * (high - base) - TOLERANCE * max(1.0, abs(high))


_DECIDED = (
    highspy.HighsModelStatus.kOptimal,
    highspy.HighsModelStatus.kInfeasible,
    highspy.HighsModelStatus.kUnbounded,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
)


def _finite(bound: float) -> float:
    if bound == inf:
        return highspy.kHighsInf
    if bound == -inf:
        return -highspy.kHighsInf
    return bound


def intervals(
    constraints: Iterable[Constraint],
    known: Mapping[Variable, float],
    targets: Iterable[Variable],
    upper: Mapping[Variable, float] | None = None,
    lower: Mapping[Variable, float] | None = None,
) -> dict[Variable, Interval]:
    """The least and greatest value each of ``targets`` (withheld) can take, given the shown
    figures ``known`` and every constraint. ``upper`` caps a variable (100 for a percentage);
    ``lower`` is what is known of it anyway (0 unless given)."""
    found = _solve(constraints, known, targets, upper, lower)
    return {target: interval for target, interval in found}


def unprotected(
    constraints: Iterable[Constraint],
    known: Mapping[Variable, float],
    targets: Mapping[Variable, float],
    share: float,
    upper: Mapping[Variable, float] | None = None,
    lower: Mapping[Variable, float] | None = None,
) -> set[Variable]:
    """Those of ``targets`` (withheld variable: its true value) whose interval is narrower
    than ``share`` of its upper end.

    Fewer programs than two per target: every solution found is a point the figures could be,
    so each variable's interval holds the lowest and highest values seen in any of them (the
    true values included). Where (1 - share) x highest seen >= lowest seen, the interval is wide
    enough already, whatever its real ends, and nothing is solved for it."""
    found = _solve(constraints, known, targets, upper, lower, targets, share)
    return {target for target, interval in found if not interval.protects(share)}


def _solve(constraints, known, targets, upper, lower, true_values=None, share=0.0):
    upper, lower = upper or {}, lower or {}
    reduced = _reduced(constraints, known)
    groups = _Groups()
    for c in reduced:
        groups.join([v for v, _ in c.terms])
    by_group: dict[Variable, list[Constraint]] = {}
    for c in reduced:
        by_group.setdefault(groups.find(c.terms[0][0]), []).append(c)
    programs: dict[Variable, _Program] = {}
    for target in targets:
        base = lower.get(target, 0.0)
        if target not in groups.parent:  # in no relation: anything from what is known up
            yield target, Interval(base, upper.get(target, inf), base)
            continue
        root = groups.find(target)
        if root not in programs:
            programs[root] = _Program(by_group[root], upper, true_values or {}, lower)
        program = programs[root]
        if true_values is not None and program.wide_enough(target, share):
            yield target, Interval(program.seen_low(target), program.seen_high(target), base)
            continue
        try:
            high = program.extreme(target, -1.0)
            if true_values is not None and program.wide_enough(target, share):
                yield target, Interval(program.seen_low(target), high, base)
                continue
            yield target, Interval(program.extreme(target, 1.0), high, base)
        except NoSolution:
            if true_values is None:  # an outside check: its relations are wrong
                raise
            # The rebuild: figures that do not quite add up (rounding beyond the slack) prove
            # nothing, so the figure is not taken as protected and more is withheld round it.
            yield target, Interval(nan, nan, base)
